using Factory.Executor.Engine;

namespace Factory.Testing;

/// <summary>
/// A PostgreSQL server of its own (Debian's PostgreSQL 15: initdb + pg_ctl) in a temporary directory on a free
/// loopback port, for a test that must stop and start the database under a running host: the shared server on 5432
/// serves every other test and is never stopped. Runs as the postgres user (the server refuses root); the user factory
/// logs in with a password of this cluster's own (never trust: a build with network must find nothing it can use on
/// 127.0.0.1). Disposing stops it and deletes its directory.
/// </summary>
public sealed class ThrowawayPostgresCluster : IAsyncDisposable
{
    public const string Binaries = "/usr/lib/postgresql/15/bin";
    private const string ServerUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private bool _initialised;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "factory-pg-" + Guid.NewGuid().ToString("N")[..10]);
    public int Port { get; } = LocalFleet.FreePort();
    private string Data => Path.Combine(Directory, "data");
    private string Log => Path.Combine(Directory, "server.log");
    private readonly string _password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>The cluster's own database "postgres", as the user factory; no pooling surprises left to the caller.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=factory;Password={_password};Database=postgres;Timeout=3";

    public async Task InitialiseAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        await RunAsync("chown", [$"{ServerUser}:", Directory]);
        _initialised = true;
        var passwordFile = Path.Combine(Directory, "password");
        await File.WriteAllTextAsync(passwordFile, _password + "\n");
        await RunAsync("chown", [$"{ServerUser}:", passwordFile]);
        await RunAsync("chmod", ["0600", passwordFile]);
        await RunAsync("runuser", ["-u", ServerUser, "--", Path.Combine(Binaries, "initdb"), "-D", Data, "-U", "factory", "--pwfile", passwordFile,
            "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"]);
        await StartAsync();
    }

    /// <summary>Starts the server and waits until it accepts connections.</summary>
    public Task StartAsync() => RunAsync("runuser", ["-u", ServerUser, "--", Path.Combine(Binaries, "pg_ctl"), "start", "-w", "-D", Data, "-l", Log,
        "-o", $"-p {Port} -k {Directory} -c listen_addresses=127.0.0.1 -c fsync=off"]);

    /// <summary>Stops the server (fast: open sessions are ended) and waits until it is gone.</summary>
    public Task StopAsync() => RunAsync("runuser", ["-u", ServerUser, "--", Path.Combine(Binaries, "pg_ctl"), "stop", "-w", "-m", "fast", "-D", Data]);

    private async Task RunAsync(string program, string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(program, arguments, null, CommandTimeout);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Combined}" +
                (File.Exists(Log) ? $"\nserver log:\n{await File.ReadAllTextAsync(Log)}" : ""));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_initialised) return;
        try { await StopAsync(); }
        catch (InvalidOperationException) { } // not running
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
