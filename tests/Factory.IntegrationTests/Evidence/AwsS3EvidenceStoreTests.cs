using Factory.Evidence;

namespace Factory.IntegrationTests.Evidence;

/// <summary>The S3 evidence store on AWSSDK.S3 against the real Ceph RGW.</summary>
public sealed class AwsS3EvidenceStoreTests : S3EvidenceStoreContract
{
    protected override IObjectStorageEvidenceStore CreateStore(S3EvidenceOptions options) => new S3EvidenceStore(options);
}
