using FluentValidation;

namespace Orders.Domain;

/// <summary>What the API accepts as a new order.</summary>
public sealed class NewOrderValidator : AbstractValidator<NewOrder>
{
    public NewOrderValidator()
    {
        RuleFor(o => o.Customer).NotEmpty().MaximumLength(100);
        RuleFor(o => o.Lines).NotEmpty();
        RuleForEach(o => o.Lines).ChildRules(line =>
        {
            line.RuleFor(l => l.Sku).NotEmpty().Matches("^[A-Z0-9-]{3,20}$");
            line.RuleFor(l => l.Quantity).InclusiveBetween(1, 1000);
            line.RuleFor(l => l.UnitPrice).GreaterThan(0);
        });
    }
}
