using System.CommandLine;
using System.Text.Json;
using Factory.Contracts;
using Factory.Manifests;

namespace Factory.Cli.Commands;

/// <summary>`factory dlq list|replay`: an operator's view of the dead-letter queues, and redrive.</summary>
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
                    Console.WriteLine($"{l.GetProperty("message_id").GetString()}  {l.GetProperty("queue").GetString(),-16} build {l.GetProperty("build_id")}  {l.GetProperty("reason").GetString()}");
            }
            return ExitCodes.Passed;
        }));

        var id = new Argument<string?>("ID") { Description = "A message id from `factory dlq list`", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Replay every dead-lettered item" };
        var replay = new Command("replay", "Send dead-lettered items back to their work queue") { id, all, url, token, json };
        replay.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var one = parse.GetValue(id);
            if (one is null == !parse.GetValue(all))
                throw new InvalidInputException("ID|--all", "", "name one message id, or pass --all");
            using var client = ControlPlaneClient.Connect(parse.GetValue(url)!, parse.GetValue(token));
            var replayed = await client.PostJsonAsync("api/dlq/replay", one is null ? new { all = true } : new { ids = new[] { one } }, ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(replayed, FactoryJson.Options));
            else Console.WriteLine($"replayed {replayed.GetArrayLength()} item(s)");
            if (one is not null && replayed.GetArrayLength() == 0)
                throw new InvalidInputException("ID", "", $"no dead-lettered message with id {Names.Quote(one)}");
            return ExitCodes.Passed;
        }));
        return new Command("dlq", "The dead-letter queues of the fleet") { list, replay };
    }
}
