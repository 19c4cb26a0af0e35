using System.CommandLine;
using Factory.Manifests;
using Factory.Records;

namespace Factory.Cli.Commands;

internal static class ManifestsCommands
{
    public static Command Create()
    {
        var store = CommonOptions.ManifestStore();
        var state = CommonOptions.State();
        var validate = new Command("validate", "Validate every template, module, test suite and store entry; check released modules are unchanged") { store, state };
        validate.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var loaded = ManifestStoreLoader.Load(parse.GetValue(store)!);
            await ManifestChecks.EnsureModulesUnchangedAsync(loaded, parse.GetValue(state)!, modules: null, ct);
            var versions = loaded.Modules.Sum(m => m.Value.Count);
            Console.WriteLine($"ok: {loaded.Entries.Count} manifests, {loaded.Templates.Count} templates, {versions} module versions, {loaded.TestSuites.Count} test suites in {parse.GetValue(store)}");
            return ExitCodes.Passed;
        }));
        return new Command("manifests", "Work with the manifest store") { validate };
    }
}
