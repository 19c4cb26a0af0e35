using System.CommandLine;
using Factory.Contracts.Manifests;
using Factory.Manifests;

namespace Factory.Cli.Commands;

/// <summary>
/// The plan a command works on: PLAN (a plan file or an id from the store's plans/) or --manifest ID (the
/// manifest as it stands, a plan named after it with no matrix). Exactly one of the two.
/// </summary>
internal sealed record PlanSelection(string? PlanOrId, string? ManifestId)
{
    public const string ManifestOptionName = "--manifest";

    public static Argument<string?> PlanArgument() => new("PLAN")
    {
        Description = "A plan file path or a plan id from <manifest-store>/plans/ (or give --manifest ID instead)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Option<string?> ManifestOption() => new(ManifestOptionName)
    {
        Description = "A manifest id from store.yaml: the manifest as it stands (each slot at the manifest's version), instead of PLAN",
    };

    public static PlanSelection Of(string planOrId) => new(planOrId, null);

    /// <summary>The selection from the command line; bad input (both, or neither) throws naming what to give.</summary>
    public static PlanSelection From(string? planOrId, string? manifestId) => (planOrId, manifestId) switch
    {
        ({ } _, { } _) => throw new InvalidInputException(ManifestOptionName, "",
            $"cannot be given together with PLAN ({planOrId}): give either a plan file or id, or --manifest ID"),
        (null, null) => throw new InvalidInputException("PLAN", "",
            "is required: give a plan file or a plan id, or --manifest ID to build a manifest as it stands"),
        _ => new PlanSelection(planOrId, manifestId),
    };

    public Plan Load(ManifestStore store) =>
        ManifestId is { } id ? PlanReader.ForManifest(store, id, ManifestOptionName) : PlanReader.Load(PlanOrId!, store, CommonOptions.MaxCombinations);
}
