using Factory.ControlPlane.Access;
using Factory.ControlPlane.State;
using Microsoft.Data.Sqlite;

namespace Factory.IntegrationTests.Access;

/// <summary>The access-store contract on the embedded state's access.db, which only its owner may read.</summary>
public sealed class SqliteAccessStoreTests : AccessStoreContract, IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-access-" + Guid.NewGuid().ToString("N"));

    protected override IAccessStore Store => new SqliteAccessStore(_state);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_database_file_is_readable_by_its_owner_only()
    {
        await Store.ListTokensAsync(CancellationToken.None);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_state, "access.db")));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_state, recursive: true); }
        catch (IOException) { }
    }
}
