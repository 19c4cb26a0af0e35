using Factory.Executor;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>HostBuildLock: one delivery of a build at a time on a host, across executor processes sharing the state directory.</summary>
public sealed class HostBuildLockTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-lock-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public void A_build_held_in_this_process_cannot_be_taken_again_until_released_and_leaves_no_file()
    {
        var build = Guid.NewGuid();

        var first = HostBuildLock.TryAcquire(_state, build);
        Assert.NotNull(first);
        Assert.True(File.Exists(HostBuildLock.PathFor(_state, build)));
        Assert.Null(HostBuildLock.TryAcquire(_state, build));
        using (var other = HostBuildLock.TryAcquire(_state, Guid.NewGuid())) Assert.NotNull(other);

        first.Dispose();
        Assert.False(File.Exists(HostBuildLock.PathFor(_state, build)));
        using var again = HostBuildLock.TryAcquire(_state, build);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task A_build_held_by_another_process_is_refused_and_free_again_once_that_process_dies()
    {
        var build = Guid.NewGuid();
        var path = HostBuildLock.PathFor(_state, build);
        Assert.Equal(Path.Combine(Path.GetFullPath(_state), "locks", $"{build:N}.lock"), path);

        using (await FlockHolder.HoldAsync(path))
            Assert.Null(HostBuildLock.TryAcquire(_state, build));

        using var mine = HostBuildLock.TryAcquire(_state, build);
        Assert.NotNull(mine);
    }
}
