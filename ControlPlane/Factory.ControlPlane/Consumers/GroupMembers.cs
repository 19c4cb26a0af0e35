using MassTransit;
using Microsoft.Extensions.Logging;

namespace Factory.ControlPlane.Consumers;

/// <summary>
/// The events carried by a batch of group messages (<c>WorkItemStartedGroup</c>, <c>CompatibilityRecordedGroup</c>). A
/// group whose list is null, or holds nulls, is logged and those are skipped (no Factory service sends either): one
/// malformed group must not fail the batch of well-formed messages it arrived with.
/// </summary>
public static class GroupMembers
{
    public static IReadOnlyList<TEvent> Of<TGroup, TEvent>(IEnumerable<ConsumeContext<TGroup>> messages, Func<TGroup, IReadOnlyList<TEvent>?> members, ILogger logger)
        where TGroup : class where TEvent : class
    {
        var events = new List<TEvent>();
        foreach (var message in messages)
        {
            var list = members(message.Message);
            var nulls = list is null ? -1 : 0;
            foreach (var member in list ?? [])
            {
                if (member is null) nulls++;
                else events.Add(member);
            }
            if (nulls != 0)
                logger.LogWarning("{Group} {MessageId}: {What}; skipped", typeof(TGroup).Name, message.MessageId,
                    nulls < 0 ? "its list of events is null" : $"{nulls} of its {list!.Count} events are null");
        }
        return events;
    }
}
