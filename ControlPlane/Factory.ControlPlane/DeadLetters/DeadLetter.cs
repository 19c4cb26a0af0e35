using System.Text;
using System.Text.Json;
using Factory.ControlPlane.Planning;
using Factory.Contracts.Failures;
using Factory.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Factory.ControlPlane.DeadLetters;

public sealed record DeadLetter(string MessageId, string Queue, string Pool, Guid? BuildId, string? IdempotencyKey, string? PlanId,
    string? Reason, string? ExceptionType, string? FaultedAt);
