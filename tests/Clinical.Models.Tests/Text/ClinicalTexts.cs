namespace Clinical.Models.Tests.Text;

/// <summary>Short synthetic primary-care notes (no patient data) used to train tiny tokenizers.</summary>
internal static class ClinicalTexts
{
    public static readonly IReadOnlyList<string> Corpus =
    [
        "Paciente de 78 años con disnea de esfuerzo y ortopnea. Edemas en MMII.",
        "Antecedentes: HTA, DM2, FA permanente. FEVI 35% en ecocardiograma de 2023.",
        "Niega dolor torácico. Crepitantes bibasales. Ingurgitación yugular.",
        "NT-proBNP 1250 pg/mL. Se inicia furosemida 40 mg y se cita en una semana.",
        "Sin disnea paroxística nocturna. Probable insuficiencia cardiaca a descartar.",
        "La paciente refiere mejoría de la disnea tras ajustar el diurético.",
        "Control de tensión arterial: 150/90 mmHg. Peso 82 kg, IMC 31.",
        "Acude por tos y fiebre de 3 días; auscultación pulmonar con crepitantes.",
    ];

    public const string Tricky = "Señora de 81 años:  disnea\tgrado II\n\ncon edemas ñ é à ü 12345 mg.";
}
