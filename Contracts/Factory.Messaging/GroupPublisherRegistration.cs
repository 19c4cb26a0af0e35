using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Factory.Messaging;

public static class GroupPublisherRegistration
{
    /// <summary>
    /// Registers the one <see cref="GroupPublisher{TItem, TGroup}"/> of a process for an event, publishing through the bus
    /// (a group outlives the consumes whose events it carries); <paramref name="group"/> makes the message of a group.
    /// </summary>
    public static IServiceCollection AddGroupPublisher<TItem, TGroup>(this IServiceCollection services, Func<IReadOnlyList<TItem>, TGroup> group)
        where TGroup : class
    {
        services.TryAddSingleton(provider =>
        {
            var bus = provider.GetRequiredService<IBus>();
            return new GroupPublisher<TItem, TGroup>((message, ct) => bus.Publish(message, ct), group);
        });
        return services;
    }
}
