namespace PainService.Model.Tests;

/// <summary>Class labels and PSPI bins of each scheme (spec §2.2), as the service and reports print them.</summary>
public sealed class PainSchemeTests
{
    [Fact]
    public void LabelsAreInClassIndexOrder()
    {
        Assert.Equal(["NoPain", "Mild", "Obvious"], PainScheme.ThreeLevel.Labels());
        Assert.Equal(["NoPain", "Weak", "Mild", "Strong"], PainScheme.FourLevel.Labels());
        Assert.Equal(["NoPain", "Pain"], PainScheme.Binary.Labels());
        Assert.Equal(3, PainScheme.ThreeLevel.ClassCount());
    }

    [Theory]
    [InlineData(PainScheme.ThreeLevel, new[] { 0, 1, 1, 1, 1, 2, 2, 2 })]
    [InlineData(PainScheme.FourLevel, new[] { 0, 1, 2, 3, 3, 3, 3, 3 })]
    [InlineData(PainScheme.Binary, new[] { 0, 1, 1, 1, 1, 1, 1, 1 })]
    public void PspiZeroToSevenFallIntoTheSpecBins(PainScheme scheme, int[] expected) =>
        Assert.Equal(expected, Enumerable.Range(0, 8).Select(pspi => scheme.ClassOfPspi(pspi)));
}
