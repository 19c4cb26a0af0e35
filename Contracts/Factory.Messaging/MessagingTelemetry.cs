using System.Diagnostics;

namespace Factory.Messaging;

/// <summary>
/// One ActivitySource for what the services share on the bus: a group's publish is its own span, linked to the span of
/// every event it carries (each event belongs to its own item's trace; the group to none of them).
/// </summary>
public static class MessagingTelemetry
{
    public const string SourceName = "Factory.Messaging";
    public static readonly ActivitySource Source = new(SourceName);
}
