using Calc;
using Xunit;

public class ArithmeticTests
{
    [Fact]
    public void Twice_thrice_and_the_sign_of_a_positive_number()
    {
        Assert.Equal(4, Arithmetic.Twice(2));
        Assert.Equal(6, Arithmetic.Thrice(2));
        Assert.Equal(1, Arithmetic.Sign(2));
    }
}
