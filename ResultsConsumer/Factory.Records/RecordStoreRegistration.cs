using Factory.Contracts.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Factory.Records;

public static class RecordStoreRegistration
{
    /// <summary>The SQLite + JSON-file record store of the embedded default.</summary>
    public static IServiceCollection AddSqliteRecordStore(this IServiceCollection services, string stateDirectory)
    {
        services.TryAddSingleton<ICompatibilityRecordStore>(_ => new SqliteCompatibilityRecordStore(stateDirectory));
        return services;
    }

    /// <summary>The PostgreSQL record store, on the connection string ConnectionStrings:Factory.</summary>
    public static IServiceCollection AddPostgresRecordStore(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPostgresRecordStore(configuration.GetConnectionString("Factory")
            ?? throw new InvalidOperationException("ConnectionStrings:Factory (PostgreSQL) is not configured"));

    /// <summary>The PostgreSQL record store of the distributed fleet (schema created at start; the connection defaults of <see cref="PostgresConnectionDefaults"/>).</summary>
    public static IServiceCollection AddPostgresRecordStore(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => new NpgsqlDataSourceBuilder(PostgresConnectionDefaults.Apply(connectionString)).Build());
        services.TryAddSingleton<PostgresCompatibilityRecordStore>();
        services.TryAddSingleton<ICompatibilityRecordStore>(sp => sp.GetRequiredService<PostgresCompatibilityRecordStore>());
        services.AddHostedService<RecordStoreSchema>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessProbe, PostgresReadinessProbe>());
        return services;
    }
}
