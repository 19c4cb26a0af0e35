using Factory.Contracts.Manifests;

namespace Factory.Manifests;

/// <summary>A path as errors show it: relative to the working directory when it lies below it, else absolute.</summary>
public static class DisplayPath
{
    public static string Of(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
