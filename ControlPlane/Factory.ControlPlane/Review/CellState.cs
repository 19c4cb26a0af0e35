using Factory.Contracts.Records;

namespace Factory.ControlPlane.Review;

/// <summary>What a matrix cell shows: its newest result, unless the cell is flaky or its failed image sits in quarantine.</summary>
public static class CellState
{
    public const string Passed = RecordStatus.Passed;
    public const string Failed = RecordStatus.Failed;
    public const string Expired = RecordStatus.Expired;
    /// <summary>The same inputs both passed and failed within the window (see <see cref="Flakiness"/>).</summary>
    public const string Flaky = "flaky";
    /// <summary>The newest record failed after its image was built: the image stays in the candidates repository, never promoted.</summary>
    public const string Quarantined = "quarantined";

    public static readonly string[] All = [Passed, Failed, Flaky, Quarantined, Expired];

    /// <summary>Images whose tests did not pass are pushed to factory-candidates/&lt;manifest&gt; and never tagged under factory/.</summary>
    public static bool IsQuarantined(RecordFacts record) =>
        record.Status == RecordStatus.Failed && record.Image is { } image && image.Contains("/factory-candidates/", StringComparison.Ordinal);
}
