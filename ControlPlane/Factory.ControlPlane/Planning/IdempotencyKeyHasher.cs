using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Factory.ControlPlane.Planning;

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
        var buffer = new byte[MaxLength(modules)];
        return buffer[..Write(modules, buffer)];
    }

    /// <summary>The key: lower-case hex sha256 of the canonical text.</summary>
    public string Compute(IReadOnlyDictionary<string, string> modules)
    {
        var length = MaxLength(modules);
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..Write(modules, buffer)], hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private int MaxLength(IReadOnlyDictionary<string, string> modules)
    {
        if (modules.Count != _slots.Length)
            throw new ArgumentException($"expected versions for exactly the slots {string.Join(", ", _slots)}, found {string.Join(", ", modules.Keys)}", nameof(modules));
        var length = _prefix.Length;
        for (var i = 0; i < _slots.Length; i++) length += _slotLines[i].Length + Encoding.UTF8.GetMaxByteCount(modules[_slots[i]].Length) + 1;
        return length;
    }

    private int Write(IReadOnlyDictionary<string, string> modules, Span<byte> buffer)
    {
        _prefix.CopyTo(buffer);
        var at = _prefix.Length;
        for (var i = 0; i < _slots.Length; i++)
        {
            _slotLines[i].CopyTo(buffer[at..]);
            at += _slotLines[i].Length;
            at += Encoding.UTF8.GetBytes(modules[_slots[i]], buffer[at..]);
            buffer[at++] = (byte)'\n';
        }
        return at;
    }
}
