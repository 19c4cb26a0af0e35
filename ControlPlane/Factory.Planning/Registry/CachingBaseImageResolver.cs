using System.Collections.Concurrent;
using Factory.Manifests;

namespace Factory.Planning.Registry;

/// <summary>
/// Base image digests by (reference, platform), kept for <see cref="RegistryOptions.BaseDigestTtl"/> so that a plan
/// submission does not ask the registry again for what it answered a moment ago. Callers asking for one key while
/// its request is in flight share that request; a failed request is not kept, so the next caller asks again.
/// <see cref="Invalidate"/> and <see cref="InvalidateAll"/> force the next call to ask the registry (a base image
/// was pushed again under its tag). A caller's cancellation stops its wait, not the request others share.
/// </summary>
public sealed class CachingBaseImageResolver(IBaseImageResolver inner, RegistryOptions options, TimeProvider clock) : IBaseImageResolver
{
    private readonly ConcurrentDictionary<(ImageReference Reference, string Platform), BaseImageLookup> _lookups = new();

    public Task<ResolvedImage> ResolveAsync(ImageReference reference, string platform, CancellationToken ct)
    {
        var key = (reference, platform);
        while (true)
        {
            if (_lookups.TryGetValue(key, out var current))
            {
                if (current.IsUsable(clock, options.BaseDigestTtl)) return current.Task.WaitAsync(ct);
                var fresh = NewLookup(key);
                if (_lookups.TryUpdate(key, fresh, current)) return fresh.Task.WaitAsync(ct);
            }
            else
            {
                var fresh = NewLookup(key);
                if (_lookups.TryAdd(key, fresh)) return fresh.Task.WaitAsync(ct);
            }
            // Another caller replaced or added the lookup first: use theirs.
        }
    }

    /// <summary>The next call for this reference and platform asks the registry.</summary>
    public void Invalidate(ImageReference reference, string platform) => _lookups.TryRemove((reference, platform), out _);

    /// <summary>The next call for any reference asks the registry.</summary>
    public void InvalidateAll() => _lookups.Clear();

    private BaseImageLookup NewLookup((ImageReference Reference, string Platform) key) => new(lookup => FetchAsync(key, lookup));

    private async Task<ResolvedImage> FetchAsync((ImageReference Reference, string Platform) key, BaseImageLookup lookup)
    {
        try
        {
            var image = await inner.ResolveAsync(key.Reference, key.Platform, CancellationToken.None);
            lookup.FetchedAt = clock.GetTimestamp();
            return image;
        }
        catch
        {
            _lookups.TryRemove(KeyValuePair.Create(key, lookup));
            throw;
        }
    }
}
