using System.CommandLine;
using System.Text.Json;
using Factory.ControlPlane.Access;
using Factory.ControlPlane.State;
using Factory.Contracts;
using Factory.Manifests;
using Factory.Records;
using Npgsql;

namespace Factory.Cli.Commands;

/// <summary>
/// `factory tokens create|list|revoke`: API tokens, written straight to the database the fleet uses
/// (--database, else ConnectionStrings__Factory) or, with neither, to the embedded state's access.db (`factory serve`).
/// Whoever can write that database may mint tokens: this is how the first admin token comes to be.
/// </summary>
internal static class TokensCommands
{
    public static Command Create()
    {
        var database = new Option<string?>("--database")
        {
            Description = "The fleet's PostgreSQL connection string (default: $ConnectionStrings__Factory; with neither, the --state directory's access.db)",
        };
        var state = CommonOptions.State();
        var json = CommonOptions.Json();

        var role = new Option<string>("--role") { Description = $"What the token may do: {Roles.Accepted}", Required = true };
        var name = new Option<string?>("--name") { Description = "Who or what holds the token (shown in the audit log)" };
        var create = new Command("create", "Create a token and print it (once: only its hash is stored)") { role, name, database, state, json };
        create.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            if (!Roles.TryParse(parse.GetValue(role), out var chosen))
                throw new InvalidInputException("--role", "", $"expected one of {Roles.Accepted}, found {Names.Quote(parse.GetValue(role) ?? "")}");
            await using var store = Open(parse.GetValue(database), parse.GetValue(state)!);
            var issued = await new ApiTokens(store.Store, TimeProvider.System).CreateAsync(chosen, parse.GetValue(name), null, ct);
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { token = issued.Secret, id = issued.Token.Id, role = chosen.Name(), name = issued.Token.Name }, FactoryJson.Options));
            else
            {
                Console.WriteLine(issued.Secret);
                await Console.Error.WriteLineAsync($"token {issued.Token.Id} (role {chosen.Name()}) created in {store.Where}; it is shown only now");
            }
            return ExitCodes.Passed;
        }));

        var list = new Command("list", "List tokens: id, role, name, created, revoked (never the tokens themselves)") { database, state, json };
        list.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            await using var store = Open(parse.GetValue(database), parse.GetValue(state)!);
            var tokens = await store.Store.ListTokensAsync(ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(tokens, FactoryJson.Options));
            else
                foreach (var t in tokens)
                    Console.WriteLine($"{t.Id}  {t.Role.Name(),-9}  {t.CreatedAt:yyyy-MM-dd HH:mm}Z  {(t.RevokedAt is { } r ? $"revoked {r:yyyy-MM-dd HH:mm}Z" : "active")}  {t.Name}");
            return ExitCodes.Passed;
        }));

        var id = new Argument<string>("ID") { Description = "A token id from `factory tokens list`" };
        var revoke = new Command("revoke", "Revoke a token: requests with it answer 401 from now on") { id, database, state };
        revoke.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            await using var store = Open(parse.GetValue(database), parse.GetValue(state)!);
            if (!await new ApiTokens(store.Store, TimeProvider.System).RevokeAsync(parse.GetValue(id)!, null, ct))
                throw new InvalidInputException("ID", "", $"no token has the id {Names.Quote(parse.GetValue(id)!)} in {store.Where}");
            Console.WriteLine($"revoked token {parse.GetValue(id)}");
            return ExitCodes.Passed;
        }));
        return new Command("tokens", "API tokens for the control plane (and `factory serve`)") { create, list, revoke };
    }

    private static OpenedStore Open(string? database, string state)
    {
        var connection = database ?? (Environment.GetEnvironmentVariable("ConnectionStrings__Factory") is { Length: > 0 } c ? c : null);
        if (connection is null) return new OpenedStore(new SqliteAccessStore(state), Path.Combine(state, "access.db"), null);
        NpgsqlDataSource source;
        try
        {
            source = NpgsqlDataSource.Create(PostgresConnectionDefaults.Apply(connection));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidInputException("--database", "", $"not a PostgreSQL connection string: {ex.Message}");
        }
        var where = new NpgsqlConnectionStringBuilder(connection) is var b ? $"PostgreSQL database {b.Database} on {b.Host}" : "PostgreSQL";
        return new OpenedStore(new PostgresAccessStore(source), where, source);
    }

    private sealed record OpenedStore(IAccessStore Store, string Where, NpgsqlDataSource? Source) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Source?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
