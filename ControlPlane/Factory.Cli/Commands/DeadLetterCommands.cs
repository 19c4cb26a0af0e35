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
        var list = new Command("list", "List work items in the pools' dead-letter queues") { url, token, json };
        list.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            using var client = ControlPlaneClient.Connect(parse.GetValue(url)!, parse.GetValue(token));
            var letters = await client.GetAsync("api/dlq", ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(letters, FactoryJson.Options));
            else
            {
                Console.WriteLine($"{letters.GetArrayLength()} dead-lettered");
                foreach (var l in letters.EnumerateArray())
                    Console.WriteLine(l.TryGetProperty("malformed", out var malformed) && malformed.ValueKind == JsonValueKind.String
                        ? $"{l.GetProperty("message_id").GetString()}  {l.GetProperty("queue").GetString(),-16} MALFORMED  {malformed.GetString()}"
                        : $"{l.GetProperty("message_id").GetString()}  {l.GetProperty("queue").GetString(),-16} build {l.GetProperty("build_id")}  {l.GetProperty("reason").GetString()}");
            }
            return ExitCodes.Passed;
        }));

        var replay = ById("replay", "Send dead-lettered items back to their work queue (a malformed one is refused: purge it)",
            "--all", "Replay every well-formed dead-lettered item", "api/dlq/replay", new { all = true }, "replayed", url, token, json);
        var purge = ById("purge", "Remove dead-lettered messages for good (a malformed one can only be purged)",
            "--malformed", "Purge every malformed message (those replay refuses)", "api/dlq/purge", new { malformed = true }, "purged", url, token, json);
        return new Command("dlq", "The dead-letter queues of the fleet") { list, replay, purge };
    }

    /// <summary>`dlq VERB ID` or `dlq VERB --FLAG`: one message by id, or every one the flag names; exit 2 when the id names nothing.</summary>
    private static Command ById(string verb, string description, string flag, string flagDescription, string path, object every, string done,
        Option<string> url, Option<string?> token, Option<bool> json)
    {
        var id = new Argument<string?>("ID") { Description = "A message id from `factory dlq list`", Arity = ArgumentArity.ZeroOrOne };
        var many = new Option<bool>(flag) { Description = flagDescription };
        var command = new Command(verb, description) { id, many, url, token, json };
        command.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var one = parse.GetValue(id);
            if (one is null == !parse.GetValue(many))
                throw new InvalidInputException($"ID|{flag}", "", $"name one message id, or pass {flag}");
            using var client = ControlPlaneClient.Connect(parse.GetValue(url)!, parse.GetValue(token));
            var answer = await client.PostJsonAsync(path, one is null ? every : new { ids = new[] { one } }, ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(answer, FactoryJson.Options));
            else Console.WriteLine($"{done} {answer.GetArrayLength()} message(s)");
            if (one is not null && answer.GetArrayLength() == 0)
                throw new InvalidInputException("ID", "", $"no dead-lettered message with id {Names.Quote(one)}");
            return ExitCodes.Passed;
        }));
        return command;
    }
}
