using Factory.Contracts.Messages;

namespace Factory.Contracts.Records;

public static class EvidenceKind
{
    public const string BuildLog = "build_log";
    public const string TestLog = "test_log";
    /// <summary>A test's whole output (gzip), stored when its test_log holds only the head and the tail of it.</summary>
    public const string TestOutput = "test_output";
    public const string Dockerfile = "dockerfile";
    public const string Error = "error";
    public const string Sbom = "sbom";
    public const string Provenance = "provenance";
    public const string RecordSignature = "record_signature";
}
