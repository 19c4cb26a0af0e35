using System.Security.Cryptography;

namespace Factory.Executor;

/// <summary>
/// One delivery of a build to this executor. A build may be delivered again (a lease lapsed, an outbox resent it) while
/// an earlier delivery still runs, even on the same host: each delivery names its work directory and containers with
/// its attempt and a random token of its own, so that none touches what another made.
/// </summary>
public sealed record Delivery(Guid BuildId, int Attempt, string Token)
{
    public static Delivery New(Guid buildId, int attempt) => new(buildId, attempt, RandomNumberGenerator.GetHexString(8, lowercase: true));

    /// <summary>&lt;build id&gt;-a&lt;attempt&gt;-&lt;token&gt;: a valid directory and container name part.</summary>
    public string Id => $"{BuildId:N}-a{Attempt}-{Token}";

    public string WorkDirectory(string stateDirectory) => Path.Combine(Path.GetFullPath(stateDirectory), "work", Id);

    /// <summary>The n-th container this delivery starts for a purpose ("test", "run").</summary>
    public string ContainerName(string purpose, int n) => $"factory-{Id}-{purpose}{n}";
}
