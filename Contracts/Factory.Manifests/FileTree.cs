namespace Factory.Manifests;

/// <summary>
/// Every entry below a directory, walked without entering symbolic links (a link is returned, never followed): a link
/// to / must not walk the machine, and what a link points at is not the store's content.
/// </summary>
internal static class FileTree
{
    public static IEnumerable<FileSystemInfo> Entries(DirectoryInfo root, bool ignoreInaccessible)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = ignoreInaccessible, ReturnSpecialDirectories = false,
        };
        var pending = new Stack<DirectoryInfo>();
        pending.Push(root);
        while (pending.Count > 0)
            foreach (var entry in pending.Pop().EnumerateFileSystemInfos("*", options))
            {
                yield return entry;
                if (entry is DirectoryInfo directory && directory.LinkTarget is null) pending.Push(directory);
            }
    }
}
