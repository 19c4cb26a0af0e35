namespace Factory.Manifests;

/// <summary>
/// The files of a module version directory, walked without following anything: a module may hold only regular files
/// and directories. A symbolic link of any kind (to a file, to a directory, dangling, or the module directory itself
/// reached through one) is refused, because a build context copies what a link points at: a host secret would end up
/// in an image pushed under a passing name.
/// </summary>
public static class ModuleFiles
{
    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false,
    };

    /// <summary>Each regular file as (full path, path relative to the directory with '/'), in ordinal order.</summary>
    /// <exception cref="InvalidDataException">A symbolic link or another kind of special file, named by its relative path.</exception>
    public static IReadOnlyList<(string Full, string Relative)> List(string directory)
    {
        var resolved = Path.GetFullPath(directory).TrimEnd('/');
        var through = LinkOnTheWay(resolved);
        if (through is not null)
            throw new InvalidDataException($"the module directory is reached through the symbolic link {through}: module files must be regular files in a real directory");
        var files = new List<(string, string)>();
        var pending = new Stack<string>();
        pending.Push(resolved);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var entry in new DirectoryInfo(current).EnumerateFileSystemInfos("*", OneLevel))
            {
                var relative = Path.GetRelativePath(resolved, entry.FullName).Replace('\\', '/');
                if (entry.LinkTarget is not null || entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
                    throw new InvalidDataException($"{relative} is a symbolic link (to {entry.LinkTarget}): module files must be regular files");
                if (entry is DirectoryInfo) pending.Push(entry.FullName);
                else if (entry.Attributes.HasFlag(FileAttributes.Device) || entry.Attributes.HasFlag(FileAttributes.System))
                    throw new InvalidDataException($"{relative} is not a regular file (a device, pipe or socket): module files must be regular files");
                else files.Add((entry.FullName, relative));
            }
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
