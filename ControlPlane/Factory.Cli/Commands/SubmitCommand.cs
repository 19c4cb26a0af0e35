using System.CommandLine;
using System.Text;
using System.Text.Json;
using Factory.Cli.Output;
using Factory.ControlPlane.Runs;
using Factory.Contracts;
using Factory.Manifests;

namespace Factory.Cli.Commands;

/// <summary>`factory submit PLAN | --manifest ID --control-plane URL [--wait]`: the fleet's way to run a plan, with the same summary and exit codes as `run`.</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var plan = PlanSelection.PlanArgument();
        var manifest = PlanSelection.ManifestOption();
        var url = ControlPlaneOption();
        var wait = new Option<bool>("--wait") { Description = "Wait until every item is done; print the summary; exit 0, 1 or 2 as `run` does" };
        var refresh = new Option<bool>("--refresh-bases") { Description = "Resolve the base images' digests in the registry now, not from the control plane's cache (after pushing a base)" };
        var rerun = new Option<int?>("--rerun") { Description = "Run every combination that already passed N times again (reruns, to measure flakiness) instead of reusing it" };
        var store = CommonOptions.ManifestStore();
        var json = CommonOptions.Json();
        var token = ControlPlaneToken.FileOption();
        var command = new Command("submit", "Submit a plan to the control plane of a fleet") { plan, manifest, url, token, wait, refresh, rerun, store, json };
        command.SetAction((parse, ct) => CommonOptions.Guard(() =>
            SubmitAsync(PlanSelection.From(parse.GetValue(plan), parse.GetValue(manifest)), parse.GetValue(url)!, parse.GetValue(token), parse.GetValue(wait), parse.GetValue(refresh),
                parse.GetValue(rerun), parse.GetValue(store)!, parse.GetValue(json), ct)));
        return command;
    }

    public static Option<string> ControlPlaneOption() => new("--control-plane")
    {
        Description = "The control plane's URL (default: $FACTORY_CONTROL_PLANE_URL, else http://127.0.0.1:5080)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FACTORY_CONTROL_PLANE_URL") is { Length: > 0 } u ? u : "http://127.0.0.1:5080",
    };

    private static async Task<int> SubmitAsync(PlanSelection selection, string url, string? tokenFile, bool wait, bool refreshBases, int? rerun, string storeDirectory, bool json, CancellationToken ct)
    {
        // --manifest ID is the plan {id: ID, manifest: ID}, written as JSON (which is YAML) so the id cannot be read as more YAML.
        var (document, source) = selection.ManifestId is { } manifestId
            ? (JsonSerializer.Serialize(new { id = manifestId, manifest = manifestId }), PlanSelection.ManifestOptionName)
            : (await File.ReadAllTextAsync(PlanReader.ResolvePath(selection.PlanOrId!, storeDirectory), ct), PlanReader.ResolvePath(selection.PlanOrId!, storeDirectory));
        using var client = ControlPlaneClient.Connect(url, tokenFile);
        if (rerun is < 0 or > Contracts.Manifests.Plan.MaxRerun) throw new InvalidInputException("--rerun", "", $"expected 0 to {Contracts.Manifests.Plan.MaxRerun} reruns, found {rerun}");
        var query = string.Join("&", new[] { refreshBases ? "refresh_bases=true" : null, rerun is { } n ? $"rerun={n}" : null }.OfType<string>());
        var accepted = await client.SendAsync(HttpMethod.Post, query.Length == 0 ? "api/plans" : "api/plans?" + query, new StringContent(document, Encoding.UTF8, "application/yaml"), ct,
            new Dictionary<string, string> { ["X-Plan-Source"] = source });
        var id = accepted.GetProperty("id").GetString()!;
        if (!wait)
        {
            if (json) Console.WriteLine(JsonSerializer.Serialize(accepted, FactoryJson.Options));
            else Console.WriteLine($"submitted plan {accepted.GetProperty("plan_id").GetString()} as {id} ({accepted.GetProperty("items").GetInt32()} items): {url.TrimEnd('/')}/api/plans/{id}");
            return ExitCodes.Passed;
        }

        var progress = new SubmitProgress(json);
        while (true)
        {
            var counts = await client.GetAsync($"api/plans/{id}?items=false", ct);
            progress.Show(counts);
            if (counts.GetProperty("status").GetString() == PlanRunView.Completed) break;
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
        progress.Done();
        var view = (await client.GetAsync($"api/plans/{id}", ct)).Deserialize<PlanRunView>(FactoryJson.Options)!;
        var report = RunReport.From(view);
        report.Print(json);
        return report.ExitCode;
    }
}
