using System.CommandLine;
using Factory.Cli.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Factory.Cli.Commands;

/// <summary>`factory serve [--urls URL]`: the web UI on the embedded state until interrupted.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (default http://127.0.0.1:5090; http://127.0.0.1:0 picks a free port)",
            DefaultValueFactory = _ => "http://127.0.0.1:5090",
        };
        var store = CommonOptions.ManifestStore();
        var state = CommonOptions.State();
        var command = new Command("serve", "Serve the web UI (matrix, history, records, plans) on the embedded state") { urls, store, state };
        command.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            await using var app = await EmbeddedWebHost.BuildAsync(parse.GetValue(state)!, parse.GetValue(store)!, parse.GetValue(urls)!, null, ct);
            await app.StartAsync(ct);
            // Scripts and tests read the address from here (the port is chosen by the system with :0).
            foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses)
                Console.WriteLine($"FACTORY_UI_URL={address}");
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Passed;
        }));
        return command;
    }
}
