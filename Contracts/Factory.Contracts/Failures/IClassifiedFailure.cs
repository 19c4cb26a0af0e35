namespace Factory.Contracts.Failures;

/// <summary>
/// An exception that names its own <see cref="FailureClassification"/>, so the label of a failure owned by one
/// service (an executor's unsupported message) needs no reference from here to that service.
/// </summary>
public interface IClassifiedFailure
{
    string Classification { get; }
}
