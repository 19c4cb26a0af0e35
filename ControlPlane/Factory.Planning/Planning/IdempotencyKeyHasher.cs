using System.Security.Cryptography;
using System.Text;

namespace Factory.Planning;

/// <summary>
/// Makes the bytes of <see cref="IdempotencyKey"/>'s canonical text, and their key, for many combinations that
/// share template, base, platform and accelerator: the shared lines are encoded once and the slots sorted once,
/// so a plan of 100k combinations does not build 100k strings only to hash them. This is the one encoder of the
/// canonical text (IdempotencyKey.CanonicalText and Compute use it); it is safe to share between threads.
/// </summary>
public sealed class IdempotencyKeyHasher
{
    private const int StackLimit = 1024;
    private readonly byte[] _prefix;
    private readonly string[] _slots;
    private readonly byte[][] _slotLines;

    public IdempotencyKeyHasher(string templateId, string templateVersion, string baseDigest, string platform, string? accelerator, IEnumerable<string> slots)
    {
        _prefix = Encoding.UTF8.GetBytes(
            $"{IdempotencyKey.EncodingVersion}\ntemplate.id={templateId}\ntemplate.version={templateVersion}\n" +
            $"base.digest={baseDigest}\nplatform={platform}\naccelerator={accelerator ?? "none"}\n");
        _slots = slots.Order(StringComparer.Ordinal).ToArray();
        _slotLines = _slots.Select(slot => Encoding.UTF8.GetBytes($"module.{slot}=")).ToArray();
    }

    /// <summary>The canonical text's bytes for these module versions (exactly the hasher's slots).</summary>
    public byte[] CanonicalBytes(IReadOnlyDictionary<string, string> modules)
    {
        CheckSlots(modules);
        var length = _prefix.Length;
        for (var i = 0; i < _slots.Length; i++) length += _slotLines[i].Length + Encoding.UTF8.GetByteCount(modules[_slots[i]]) + 1;
        var bytes = new byte[length];
        TryWrite(modules, bytes, out _);
        return bytes;
    }

    /// <summary>The key: lower-case hex sha256 of the canonical text.</summary>
    public string Compute(IReadOnlyDictionary<string, string> modules)
    {
        CheckSlots(modules);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        // Names and versions are short: the text fits on the stack unless a version is absurdly long.
        Span<byte> buffer = stackalloc byte[StackLimit];
        if (TryWrite(modules, buffer, out var written)) SHA256.HashData(buffer[..written], hash);
        else SHA256.HashData(CanonicalBytes(modules), hash);
        return Convert.ToHexStringLower(hash);
    }

    private void CheckSlots(IReadOnlyDictionary<string, string> modules)
    {
        if (modules.Count != _slots.Length)
            throw new ArgumentException($"expected versions for exactly the slots {string.Join(", ", _slots)}, found {string.Join(", ", modules.Keys)}", nameof(modules));
    }

    /// <summary>Writes the canonical text into <paramref name="buffer"/>; false when it does not fit.</summary>
    private bool TryWrite(IReadOnlyDictionary<string, string> modules, Span<byte> buffer, out int written)
    {
        written = 0;
        if (!_prefix.AsSpan().TryCopyTo(buffer)) return false;
        var at = _prefix.Length;
        for (var i = 0; i < _slots.Length; i++)
        {
            var version = modules[_slots[i]];
            if (!_slotLines[i].AsSpan().TryCopyTo(buffer[at..])) return false;
            at += _slotLines[i].Length;
            if (!Encoding.UTF8.TryGetBytes(version, buffer[at..], out var encoded) || at + encoded >= buffer.Length) return false;
            at += encoded;
            buffer[at++] = (byte)'\n';
        }
        written = at;
        return true;
    }
}
