using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Factory.Evidence;

namespace Factory.IntegrationTests.Evidence;

/// <summary>A fresh bucket for one test, removed afterwards.</summary>
public sealed class RgwBucket : IAsyncDisposable
{
    public string Name { get; } = Rgw.NewBucket();
    public ValueTask DisposeAsync() => new(Rgw.DeleteBucketAsync(Name));
}
