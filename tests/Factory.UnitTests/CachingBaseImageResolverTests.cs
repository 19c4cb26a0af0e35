using Factory.Planning.Registry;
using Factory.Manifests;
using Microsoft.Extensions.Time.Testing;

namespace Factory.UnitTests;

/// <summary>CachingBaseImageResolver over a fake registry (a pure decorator): TTL, refresh on demand, shared requests, failures not kept.</summary>
public sealed class CachingBaseImageResolverTests
{
    private const string Amd = "linux/amd64", Arm = "linux/arm64";
    private static readonly ImageReference Busybox = Parse("127.0.0.1:5000/base/busybox:1.35");
    private static readonly ImageReference Debian = Parse("127.0.0.1:5000/base/debian:bookworm");

    private readonly FakeTimeProvider _clock = new();
    private readonly FakeRegistry _registry = new();
    private readonly CachingBaseImageResolver _resolver;

    public CachingBaseImageResolverTests() =>
        _resolver = new CachingBaseImageResolver(_registry, new RegistryOptions { BaseDigestTtl = TimeSpan.FromSeconds(60) }, _clock);

    private static ImageReference Parse(string text) => ImageReference.TryParse(text, out var reference) ? reference : throw new ArgumentException(text);

    private Task<ResolvedImage> Resolve(ImageReference reference, string platform, CancellationToken ct = default) => _resolver.ResolveAsync(reference, platform, ct);

    /// <summary>Answers each request with a digest that counts the requests for its key; a request can be held open or made to fail.</summary>
    private sealed class FakeRegistry : IBaseImageResolver
    {
        private readonly Dictionary<(ImageReference, string), int> _requests = [];
        public TaskCompletionSource? Gate { get; set; }
        public Exception? Failure { get; set; }
        public int Requests(ImageReference reference, string platform) { lock (_requests) return _requests.GetValueOrDefault((reference, platform)); }

        public async Task<ResolvedImage> ResolveAsync(ImageReference reference, string platform, CancellationToken ct)
        {
            int n;
            lock (_requests) n = _requests[(reference, platform)] = _requests.GetValueOrDefault((reference, platform)) + 1;
            if (Gate is { } gate) await gate.Task;
            if (Failure is { } failure) throw failure;
            var digest = $"sha256:{reference.Repository.Replace('/', '-')}-{platform.Replace('/', '-')}-{n}";
            return new ResolvedImage($"{reference.Registry}/{reference.Repository}@{digest}", digest);
        }
    }

    [Fact]
    public async Task A_digest_is_asked_for_once_within_its_ttl()
    {
        var first = await Resolve(Busybox, Amd);
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(first, await Resolve(Busybox, Amd));
        Assert.Equal(1, _registry.Requests(Busybox, Amd));
    }

    [Fact]
    public async Task After_its_ttl_a_digest_is_asked_for_again()
    {
        var first = await Resolve(Busybox, Amd);
        _clock.Advance(TimeSpan.FromSeconds(60));
        var second = await Resolve(Busybox, Amd);
        Assert.NotEqual(first.Digest, second.Digest);
        Assert.Equal(2, _registry.Requests(Busybox, Amd));
        Assert.Equal(second, await Resolve(Busybox, Amd));
    }

    [Fact]
    public async Task Each_reference_and_platform_is_cached_apart()
    {
        var answers = new[] { await Resolve(Busybox, Amd), await Resolve(Busybox, Arm), await Resolve(Debian, Amd), await Resolve(Busybox, Amd) };
        Assert.Equal(3, answers.Distinct().Count());
        Assert.Equal((1, 1, 1), (_registry.Requests(Busybox, Amd), _registry.Requests(Busybox, Arm), _registry.Requests(Debian, Amd)));
    }

    [Fact]
    public async Task Invalidating_one_entry_asks_again_for_it_only()
    {
        await Resolve(Busybox, Amd);
        await Resolve(Busybox, Arm);
        _resolver.Invalidate(Busybox, Amd);
        var refreshed = await Resolve(Busybox, Amd);
        await Resolve(Busybox, Arm);
        Assert.EndsWith("-2", refreshed.Digest);
        Assert.Equal((2, 1), (_registry.Requests(Busybox, Amd), _registry.Requests(Busybox, Arm)));
    }

    [Fact]
    public async Task Invalidating_all_asks_again_for_every_entry()
    {
        await Resolve(Busybox, Amd);
        await Resolve(Debian, Arm);
        _resolver.InvalidateAll();
        await Resolve(Busybox, Amd);
        await Resolve(Debian, Arm);
        Assert.Equal((2, 2), (_registry.Requests(Busybox, Amd), _registry.Requests(Debian, Arm)));
    }

    [Fact]
    public async Task Concurrent_callers_for_one_key_share_one_request()
    {
        _registry.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, 20).Select(_ => Task.Run(() => Resolve(Busybox, Amd))).ToList();
        var other = Resolve(Busybox, Arm);
        while (_registry.Requests(Busybox, Arm) == 0) await Task.Delay(5);
        await Task.Delay(50);
        Assert.All(callers, c => Assert.False(c.IsCompleted));
        _registry.Gate.SetResult();

        var answers = await Task.WhenAll(callers);
        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Equal(1, _registry.Requests(Busybox, Amd));
        Assert.NotEqual(answers[0], await other);
    }

    [Fact]
    public async Task A_failed_request_fails_its_callers_and_is_not_kept()
    {
        _registry.Failure = new ImageNotFoundException("image 127.0.0.1:5000/base/busybox:1.35 does not exist in the registry");
        var error = await Assert.ThrowsAsync<ImageNotFoundException>(() => Resolve(Busybox, Amd));
        Assert.Contains("does not exist in the registry", error.Message);

        _registry.Failure = null;
        var image = await Resolve(Busybox, Amd);
        Assert.EndsWith("-2", image.Digest);
        Assert.Equal(image, await Resolve(Busybox, Amd));
        Assert.Equal(2, _registry.Requests(Busybox, Amd));
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting_without_cancelling_the_shared_request()
    {
        _registry.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        var impatient = Resolve(Busybox, Amd, cancel.Token);
        var patient = Resolve(Busybox, Amd);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);

        _registry.Gate.SetResult();
        Assert.EndsWith("-1", (await patient).Digest);
        Assert.Equal(1, _registry.Requests(Busybox, Amd));
    }

    [Fact]
    public async Task The_ttl_runs_from_when_the_digest_arrived()
    {
        _registry.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = Resolve(Busybox, Amd);
        _clock.Advance(TimeSpan.FromSeconds(45));
        _registry.Gate.SetResult();
        var first = await slow;
        _registry.Gate = null;
        _clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(first, await Resolve(Busybox, Amd));
        Assert.Equal(1, _registry.Requests(Busybox, Amd));
    }
}
