using System.Diagnostics;
using Factory.Executor.Engine;

namespace Factory.UnitTests;

/// <summary>
/// The host's build gate: which engines need it, one holder at a time across gate objects (as across executor
/// processes: each opens the lock file on its own), flock(1) as deploy/images/build.sh takes it, and a gate that cannot
/// be opened letting the build through with a reason.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EngineBuildGateTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "factory-gate-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData(BuildGateMode.Auto, "20.10.24+dfsg1", true)]
    [InlineData(BuildGateMode.Auto, "22.06.0-beta.0", true)]
    [InlineData(BuildGateMode.Auto, "23.0.0", false)]
    [InlineData(BuildGateMode.Auto, "28.2.2", false)]
    [InlineData(BuildGateMode.Auto, "master-dockerproject-2026", true)]
    [InlineData(BuildGateMode.Auto, "", true)]
    [InlineData(BuildGateMode.Always, "28.2.2", true)]
    [InlineData(BuildGateMode.Never, "20.10.24+dfsg1", false)]
    public void Engines_before_Docker_23_take_the_gate_unless_told(BuildGateMode mode, string version, bool needed) =>
        Assert.Equal(needed, EngineBuildGate.Needed(mode, version));

    [Fact]
    public async Task Builders_with_gates_of_their_own_on_one_directory_never_hold_it_together()
    {
        var inside = 0;
        var most = 0;
        var entries = 0;
        async Task BuilderAsync()
        {
            var gate = new EngineBuildGate(_directory);
            for (var round = 0; round < 5; round++)
            {
                using var pass = await gate.EnterAsync(CancellationToken.None);
                Assert.Null(pass.Problem);
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                Interlocked.Increment(ref entries);
                // Long enough that the others are polling for the gate meanwhile.
                await Task.Delay(15);
                Interlocked.Decrement(ref inside);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(BuilderAsync))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(20, entries);
        Assert.Equal(1, most);
    }

    [Fact]
    public async Task The_gate_waits_for_flock_as_the_image_script_takes_it_and_passes_when_it_is_let_go()
    {
        Directory.CreateDirectory(_directory);
        var gate = new EngineBuildGate(_directory);
        using var holder = Process.Start(new ProcessStartInfo("flock", [gate.Path, "-c", "echo held; cat"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        try
        {
            Assert.Equal("held", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));

            var entering = gate.EnterAsync(CancellationToken.None);
            var first = await Task.WhenAny(entering, Task.Delay(TimeSpan.FromMilliseconds(700)));
            Assert.NotSame(entering, first);

            holder.StandardInput.Close();
            using var pass = await entering.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Null(pass.Problem);
            Assert.True(pass.Waited >= TimeSpan.FromMilliseconds(600), $"waited {pass.Waited}");
            Assert.Matches(@"^\[factory: waited \d+\.\d s for this host's build gate", pass.LogLine());
        }
        finally
        {
            if (!holder.HasExited) holder.Kill();
        }
    }

    [Fact]
    public async Task Waiting_for_the_gate_ends_when_the_build_is_cancelled()
    {
        using var held = await new EngineBuildGate(_directory).EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new EngineBuildGate(_directory).EnterAsync(cancel.Token).WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_gate_that_cannot_be_opened_lets_the_build_through_and_says_why()
    {
        // A directory that cannot be made: its parent is a file.
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, "a-file");
        await File.WriteAllTextAsync(file, "");
        var gate = new EngineBuildGate(Path.Combine(file, "locks"));

        using var pass = await gate.EnterAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(pass.Problem);
        Assert.Contains(gate.Path, pass.Problem);
        Assert.Contains("built without it", pass.LogLine());
    }

    [Fact]
    public async Task A_gate_directory_it_makes_is_open_to_every_user_as_run_lock_is()
    {
        var gate = new EngineBuildGate(Path.Combine(_directory, "made"));

        using var pass = await gate.EnterAsync(CancellationToken.None);

        Assert.Null(pass.Problem);
        var mode = File.GetUnixFileMode(Path.Combine(_directory, "made"));
        Assert.Equal(UnixFileMode.StickyBit, mode & UnixFileMode.StickyBit);
        Assert.Equal(UnixFileMode.OtherWrite | UnixFileMode.OtherExecute, mode & (UnixFileMode.OtherWrite | UnixFileMode.OtherExecute));
    }

    [Fact]
    public async Task An_uncontended_gate_adds_nothing_to_the_build_log()
    {
        using var pass = await new EngineBuildGate(_directory).EnterAsync(CancellationToken.None);

        Assert.Null(pass.Problem);
        Assert.Null(pass.LogLine());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen) return;
            seen = previous;
        }
    }
}
