namespace Factory.Manifests;

/// <summary>
/// The files of a module version directory, walked without following anything: a module may hold only regular files
/// and directories. A symbolic link of any kind (to a file, to a directory, dangling, or the module directory itself
/// reached through one) is refused, because a build context copies what a link points at: a host secret would end up
/// in an image pushed under a passing name.
/// </summary>
public static class ModuleFiles
{
    /// <summary>Each regular file as (full path, path relative to the directory with '/'), in ordinal order.</summary>
    /// <exception cref="InvalidDataException">A symbolic link, named by its relative path.</exception>
    public static IReadOnlyList<(string Full, string Relative)> List(string directory)
    {
        var resolved = Path.GetFullPath(directory).TrimEnd('/');
        var through = LinkOnTheWay(resolved);
        if (through is not null)
            throw new InvalidDataException($"the module directory is reached through the symbolic link {through}: module files must be regular files in a real directory");
        var files = new List<(string, string)>();
        foreach (var entry in FileTree.Entries(new DirectoryInfo(resolved), ignoreInaccessible: false))
        {
            var relative = Path.GetRelativePath(resolved, entry.FullName).Replace('\\', '/');
            if (entry.LinkTarget is not null || entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
                throw new InvalidDataException($"{relative} is a symbolic link (to {entry.LinkTarget}): module files must be regular files");
            if (entry is not DirectoryInfo) files.Add((entry.FullName, relative));
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Item2, b.Item2));
        return files;
    }

    /// <summary>
    /// The first symbolic link among the version directory and the two above it inside the store (modules/NAME), or
    /// null. Higher up is the store's own location, which the operator chose.
    /// </summary>
    private static string? LinkOnTheWay(string directory)
    {
        var dir = new DirectoryInfo(directory);
        for (var level = 0; dir is not null && level < 3; level++, dir = dir.Parent)
            if (dir.LinkTarget is not null) return dir.FullName;
        return null;
    }
}
