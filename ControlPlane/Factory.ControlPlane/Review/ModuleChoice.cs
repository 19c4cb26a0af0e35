using Factory.Manifests;

namespace Factory.ControlPlane.Review;

/// <summary>Reads "slot=version,slot=version" (a --modules option, a modules= query parameter, a matrix row's name).</summary>
public static class ModuleChoice
{
    /// <summary>Bad input names <paramref name="file"/> and <paramref name="field"/>: an option ("--modules", "") or a request parameter ("request", "modules").</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? text, string file, string field = "")
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidInputException(file, field, $"expected slot=version pairs separated by commas (e.g. numerics=1.1.0,python=3.11), found {Names.Quote(pair)}");
            if (!result.TryAdd(parts[0], parts[1]))
                throw new InvalidInputException(file, field, $"slot {Names.Quote(parts[0])} is given twice");
        }
        return result;
    }
}
