using System.CommandLine;
using Factory.Manifests;
using Factory.Records;

namespace Factory.Cli.Commands;

internal static class ManifestChecks
{
    /// <summary>
    /// A module version recorded with one digest whose files now hash differently is rejected: any such version,
    /// or, given <paramref name="modules"/>, any of those (the versions a plan uses).
    /// </summary>
    public static async Task EnsureModulesUnchangedAsync(ManifestStore store, string stateDirectory, IEnumerable<(string Name, string Version)>? modules, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(stateDirectory, "factory.db"))) return;
        var records = new SqliteCompatibilityRecordStore(stateDirectory);
        var recorded = await records.GetModuleDigestsAsync(ct);
        var errors = modules is null ? store.CheckImmutability(recorded) : store.CheckImmutability(modules, recorded);
        if (errors.Count > 0) throw new InvalidInputException(errors);
    }
}
