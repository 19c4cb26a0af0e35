namespace Factory.Manifests;

/// <summary>Thrown when manifests, plans or state disagree with what Factory accepts. Maps to exit code 2.</summary>
public sealed class InvalidInputException(IReadOnlyList<InputError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<InputError> Errors { get; } = errors;

    public InvalidInputException(string file, string field, string message)
        : this([new InputError(file, field, message)]) { }
}
