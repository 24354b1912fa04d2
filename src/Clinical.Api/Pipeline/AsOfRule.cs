using FluentValidation;

namespace Clinical.Api.Pipeline;

/// <summary>A record can be read as it stood on a past date or today, never on a date still to come.</summary>
public static class AsOfRule
{
    public static IRuleBuilderOptions<T, DateOnly?> NotInTheFuture<T>(
        this IRuleBuilder<T, DateOnly?> rule,
        TimeProvider clock
    ) =>
        rule.Must(asOf => asOf is null || asOf.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            .WithMessage(
                (_, asOf) =>
                    $"asOf {asOf:yyyy-MM-dd} is in the future; a record can only be read as it stood on a past date or today."
            );
}
