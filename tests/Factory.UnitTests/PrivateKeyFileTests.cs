using Factory.Signing;

namespace Factory.UnitTests;

/// <summary>The signing key file: created owner-only, and refused when group or others can read it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateKeyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("factory-key-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_new_key_is_created_0600_and_no_temporary_file_is_left()
    {
        var path = Path.Combine(_dir, "keys", "signing-key.pem");
        using var key = SigningKey.LoadOrCreate(path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["signing-key.pem", "signing-key.pem.pub"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order());
        using var again = SigningKey.LoadOrCreate(path);
        Assert.Equal(key.KeyId, again.KeyId);
    }

    [Fact]
    public void A_key_that_others_can_read_is_refused_naming_the_file_and_the_mode_expected()
    {
        var path = Path.Combine(_dir, "signing-key.pem");
        using (SigningKey.LoadOrCreate(path)) { }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var refused = Assert.Throws<TrustSetupException>(() => SigningKey.LoadOrCreate(path));
        Assert.Contains($"signing key {path} has mode 0644", refused.Message);
        Assert.Contains("expected 0600", refused.Message);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite, true)]
    [InlineData(UnixFileMode.UserRead, true)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, false)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.OtherRead, false)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite, false)]
    public void Only_an_owner_only_mode_is_accepted(UnixFileMode mode, bool accepted) =>
        Assert.Equal(accepted, PrivateKeyFile.Refusal("k.pem", mode) is null);
}
