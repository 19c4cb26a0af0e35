namespace Factory.Testing;

/// <summary>
/// This install's credentials for RabbitMQ, PostgreSQL and Ceph RGW (S3), as deploy/local/up.sh made them: the one
/// place the tests and the bench read them. The file is FACTORY_CREDENTIALS, by default
/// /etc/factory/credentials/factory.env (KEY=VALUE lines, root only); it is parsed, never executed.
/// </summary>
public sealed record LocalCredentials(string AmqpUser, string AmqpPassword, string PgUser, string PgPassword, string S3AccessKey, string S3SecretKey)
{
    public const string DefaultPath = "/etc/factory/credentials/factory.env";
    private static readonly Lazy<LocalCredentials> Loaded = new(() => Load(FilePath));

    public static string FilePath => Environment.GetEnvironmentVariable("FACTORY_CREDENTIALS") is { Length: > 0 } path ? path : DefaultPath;

    /// <summary>The credentials of this machine's services, read once.</summary>
    public static LocalCredentials Current => Loaded.Value;

    public static LocalCredentials Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"cannot read the service credentials {path} ({ex.Message}): run deploy/local/up.sh as root, which makes them", ex);
        }
        return Parse(text, path);
    }

    /// <summary>The KEY=VALUE lines of the file (comments and unknown keys ignored); a missing key is an error naming it.</summary>
    public static LocalCredentials Parse(string text, string path)
    {
        var values = text.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => !line.StartsWith('#') && line.Contains('='))
            .Select(line => (Key: line[..line.IndexOf('=')], Value: line[(line.IndexOf('=') + 1)..]))
            .GroupBy(p => p.Key)
            .ToDictionary(g => g.Key, g => g.Last().Value);
        string Required(string key) => values.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new InvalidOperationException($"{path}: {key} is missing or empty: rerun deploy/local/up.sh, which generates it");
        return new LocalCredentials(Required("FACTORY_AMQP_USER"), Required("FACTORY_AMQP_PASSWORD"), Required("FACTORY_PG_USER"),
            Required("FACTORY_PG_PASSWORD"), Required("FACTORY_S3_ACCESS_KEY"), Required("FACTORY_S3_SECRET_KEY"));
    }

    /// <summary>A connection string for a database on the local PostgreSQL (127.0.0.1:5432) as the factory role.</summary>
    public string PostgresConnectionString(string database) => $"Host=127.0.0.1;Username={PgUser};Password={PgPassword};Database={database}";

    /// <summary>The broker's user and password as the services read them (environment variables).</summary>
    public IReadOnlyDictionary<string, string> BusEnvironment => new Dictionary<string, string>
    {
        ["Bus__RabbitMq__Username"] = AmqpUser,
        ["Bus__RabbitMq__Password"] = AmqpPassword,
    };

    /// <summary>These settings plus the broker's credentials (a new dictionary; the caller's wins on a clash).</summary>
    public Dictionary<string, string> WithBus(IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>(BusEnvironment);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;
        return all;
    }

    /// <summary>Never the secrets (records print themselves in assertion messages).</summary>
    public override string ToString() => $"credentials of {AmqpUser} (RabbitMQ), {PgUser} (PostgreSQL), S3 key {S3AccessKey[..Math.Min(4, S3AccessKey.Length)]}…";
}
