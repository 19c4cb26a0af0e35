using System.CommandLine;
using System.Text.Json;
using Factory.Cli.Output;
using Factory.ControlPlane.Fleet;
using Factory.Contracts;

namespace Factory.Cli.Commands;

/// <summary>`factory fleet [--json]`: per pool, its queue (depth, dead letters, oldest wait, throughput) and its executors (busy or idle, builds, heartbeat).</summary>
internal static class FleetCommand
{
    public static Command Create()
    {
        var url = SubmitCommand.ControlPlaneOption();
        var json = CommonOptions.Json();
        var token = ControlPlaneToken.FileOption();
        var command = new Command("fleet", "Show the fleet's pools: queues and executors") { url, token, json };
        command.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            using var client = ControlPlaneClient.Connect(parse.GetValue(url)!, parse.GetValue(token));
            var fleet = await client.GetAsync("api/fleet", ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(fleet, FactoryJson.Options));
            else Console.Write(FleetTable.Render(fleet.Deserialize<FleetView>(FactoryJson.Options)!));
            return ExitCodes.Passed;
        }));
        return command;
    }
}
