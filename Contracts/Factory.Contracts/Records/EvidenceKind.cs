using Factory.Contracts.Messages;

namespace Factory.Contracts.Records;

public static class EvidenceKind
{
    public const string BuildLog = "build_log";
    public const string TestLog = "test_log";
    public const string Dockerfile = "dockerfile";
    public const string Error = "error";
    public const string Sbom = "sbom";
    public const string Provenance = "provenance";
    public const string RecordSignature = "record_signature";
}
