namespace Factory.Executor.Engine;

/// <summary>
/// A running test container. Entrypoint is the image's: `docker run IMAGE CMD…` runs CMD through it, so an exec
/// puts it in front of the command to run the test as a container of its own would.
/// </summary>
public sealed record TestContainer(string Name, IReadOnlyList<string> Entrypoint);
