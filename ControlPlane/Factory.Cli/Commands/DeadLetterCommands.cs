using System.CommandLine;
using System.Text.Json;
using Factory.Contracts;
using Factory.Manifests;

namespace Factory.Cli.Commands;

/// <summary>`factory dlq list|replay|purge`: an operator's view of the dead-letter queues, redrive, and removal of what cannot be replayed.</summary>
internal static class DeadLetterCommands
{
    public static Command Create()
    {
        var url = SubmitCommand.ControlPlaneOption();
        var json = CommonOptions.Json();
        var token = ControlPlaneToken.FileOption();
        var list = new Command("list", "List the dead letters: work items in the pools' dead-letter queues, results in results_error") { url, token, json };
        list.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            using var client = ControlPlaneClient.Connect(parse.GetValue(url)!, parse.GetValue(token));
            var letters = await client.GetAsync("api/dlq", ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(letters, FactoryJson.Options));
            else
            {
                Console.WriteLine($"{letters.GetArrayLength()} dead-lettered");
                foreach (var l in letters.EnumerateArray()) Console.WriteLine(Line(l));
            }
            return ExitCodes.Passed;
        }));

        var replay = ById("replay", "Send dead letters back to the queue they came from (a malformed message or an untrusted result is refused: purge it)",
            "api/dlq/replay", "replayed", url, token, json, [new("--all", "Replay every replayable dead letter", new { all = true })]);
        var purge = ById("purge", "Remove dead letters for good (what replay refuses can only be purged)", "api/dlq/purge", "purged", url, token, json,
            [new("--malformed", "Purge every malformed message", new { malformed = true }),
             new("--untrusted", "Purge every untrusted result (refused by the results consumer: unsigned, or signed by a key not in the keyring)", new { untrusted = true })]);
        return new Command("dlq", "The dead-letter queues of the fleet") { list, replay, purge };
    }

    /// <summary>One line of `dlq list`: the message, its queue, and what it is or why it cannot be replayed.</summary>
    private static string Line(JsonElement l)
    {
        string? Text(string name) => l.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var head = $"{Text("message_id")}  {Text("queue"),-16}";
        if (Text("malformed") is { } malformed) return $"{head} MALFORMED  {malformed}";
        var what = Text("kind") == "result" ? "result of build" : "build";
        var refused = Text("replay_refused") is { } r ? $"  [not replayable: {r}]" : "";
        return $"{head} {what} {Text("build_id")}  {Text("reason")}{refused}";
    }

    /// <summary>A flag of `dlq VERB` that names every message of a kind, and the request body that asks for them.</summary>
    private sealed record EveryFlag(string Name, string Description, object Body);

    /// <summary>`dlq VERB ID` or `dlq VERB --FLAG`: one message by id, or every one the flag names; exit 2 when the id names nothing.</summary>
    private static Command ById(string verb, string description, string path, string done,
        Option<string> url, Option<string?> token, Option<bool> json, IReadOnlyList<EveryFlag> flags)
    {
        var id = new Argument<string?>("ID") { Description = "A message id from `factory dlq list`", Arity = ArgumentArity.ZeroOrOne };
        var options = flags.Select(f => (Flag: f, Option: new Option<bool>(f.Name) { Description = f.Description })).ToList();
        var command = new Command(verb, description) { id, url, token, json };
        foreach (var (_, option) in options) command.Options.Add(option);
        var names = string.Join(" or ", flags.Select(f => f.Name));
        command.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var one = parse.GetValue(id);
            var chosen = options.Where(o => parse.GetValue(o.Option)).Select(o => o.Flag).ToList();
            if (chosen.Count + (one is null ? 0 : 1) != 1)
                throw new InvalidInputException($"ID|{string.Join("|", flags.Select(f => f.Name))}", "", $"name one message id, or pass one of {names}");
            using var client = ControlPlaneClient.Connect(parse.GetValue(url)!, parse.GetValue(token));
            var answer = await client.PostJsonAsync(path, one is null ? chosen[0].Body : new { ids = new[] { one } }, ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(answer, FactoryJson.Options));
            else Console.WriteLine($"{done} {answer.GetArrayLength()} message(s)");
            if (one is not null && answer.GetArrayLength() == 0)
                throw new InvalidInputException("ID", "", $"no dead-lettered message with id {Names.Quote(one)}");
            return ExitCodes.Passed;
        }));
        return command;
    }
}
