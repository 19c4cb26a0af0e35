namespace Factory.Signing;

/// <summary>Whether a private key file is kept as a private key must be: readable and writable by its owner only.</summary>
public static class PrivateKeyFile
{
    private const UnixFileMode OthersMay = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Why the key at <paramref name="path"/> must not be used, or null when its mode is 0600 (or 0400).</summary>
    public static string? Refusal(string path) => OperatingSystem.IsWindows() ? null : Refusal(path, File.GetUnixFileMode(path));

    public static string? Refusal(string path, UnixFileMode mode) => (mode & OthersMay) == 0
        ? null
        : $"signing key {path} has mode {Octal(mode)}: group or others can use it; expected 0600 (owner only). " +
          $"Anyone who read it can sign records: make a new key (delete the file) or, if it never left this host, chmod 600 {path}";

    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
}
