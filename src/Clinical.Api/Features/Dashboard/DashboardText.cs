namespace Clinical.Api.Features.Dashboard;

/// <summary>
/// The dashboard's words: DashboardText.resx is Spanish (the default), with .ca, .gl and .eu beside it. Texts the risk
/// engine writes (findings, missing data) are shown as the engine gives them.
/// </summary>
public sealed class DashboardText;
