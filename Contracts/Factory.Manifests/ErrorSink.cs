using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Factory.Manifests;

/// <summary>
/// The errors found so far. Keeps the first <see cref="MaxKept"/> and counts the rest, so a hostile document with a
/// million bad entries gets a bounded answer; Count still counts every error, for "did this part add any".
/// </summary>
internal sealed class ErrorSink
{
    public const int MaxKept = 100;
    private readonly List<InputError> _errors = [];
    private int _dropped;
    public IReadOnlyList<InputError> All => _errors;
    public int Count => _errors.Count + _dropped;

    public void Add(string file, string field, string message) => Add(file, field, () => message);

    /// <summary>An error whose message is made only if the error is kept: one repeated by the thousand costs a count, not a message each.</summary>
    public void Add(string file, string field, Func<string> message)
    {
        if (_errors.Count < MaxKept) _errors.Add(new InputError(file, field, message()));
        else _dropped++;
    }

    public void ThrowIfAny()
    {
        if (Count == 0) return;
        var errors = _errors.ToList();
        if (_dropped > 0)
            errors.Add(new InputError(errors[^1].File, "", $"and {_dropped:N0} more errors, not listed (the first {MaxKept} are)"));
        throw new InvalidInputException(errors);
    }
}
