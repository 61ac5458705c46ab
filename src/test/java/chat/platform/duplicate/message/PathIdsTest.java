package chat.platform.duplicate.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;

import chat.platform.duplicate.problem.ApiProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PathIdsTest {

    private final PathIds pathIds = new PathIds();

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("1", 1L),
                Arguments.of("2", 2L),
                Arguments.of("42", 42L),
                Arguments.of("4711", 4711L),
                Arguments.of("2147483648", 2147483648L),
                Arguments.of("9223372036854775806", 9223372036854775806L),
                Arguments.of("9223372036854775807", Long.MAX_VALUE));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void parsesPositive64BitIntegers(String value, long expected) {
        assertThat(pathIds.parse("conversationId", value)).isEqualTo(expected);
        assertThat(pathIds.conversationId(value)).isEqualTo(expected);
        assertThat(pathIds.messageId(value)).isEqualTo(expected);
    }

    static Stream<String> invalid() {
        return Stream.of(
                "0", "00", "-0", "-1", "-9223372036854775808", "+1", "1.0", "1.", ".1", "1e3", "1E3", "0x1F",
                " 1", "1 ", "\t1", "1\n", "1 2", "1_000", "1,000", "abc", "1a", "a1", " ", "null",
                "9223372036854775808", "9223372036854775809", "18446744073709551615", "18446744073709551616",
                "99999999999999999999",
                "1".repeat(64), "1".repeat(65), "9".repeat(1000), "1".repeat(100_000),
                "\u0661\u0662", // Arabic-Indic digits "١٢"
                "\u0661", "\u0967", // Devanagari one
                "\uFF11", // fullwidth digit one
                "\uD835\uDFCF", // mathematical bold digit one (a surrogate pair)
                "\u00B9", // superscript one
                "1\u0000", "\u200B1" // zero-width space
        );
    }

    /** Not decided by the contract; the bean reads the digits as a decimal number. */
    @Test
    void leadingZerosAreReadAsDecimal() {
        assertThat(pathIds.messageId("007")).isEqualTo(7L);
        assertThat(pathIds.messageId("0".repeat(63) + "1")).isEqualTo(1L);
        assertThat(catchThrowableOfType(ApiProblem.class, () -> pathIds.messageId("0".repeat(64) + "1")).status())
                .isEqualTo(400);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @MethodSource("invalid")
    void conversationIdRejects(String value) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> pathIds.conversationId(value));
        assertBadRequest(problem, "conversationId");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @MethodSource("invalid")
    void messageIdRejects(String value) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> pathIds.messageId(value));
        assertBadRequest(problem, "messageId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "x", "9223372036854775808"})
    void parseNamesTheGivenParameter(String value) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> pathIds.parse("someId", value));
        assertBadRequest(problem, "someId");
    }

    @Test
    void detailIsTheFullSentence() {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> pathIds.messageId("0"));
        assertThat(problem.detail()).isEqualTo("messageId must be a positive integer that fits in 64 bits.");
        assertThat(problem.getMessage()).isEqualTo(problem.detail());
    }

    @Test
    void conversationIdDetailDoesNotNameMessageId() {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> pathIds.conversationId("abc"));
        assertThat(problem.detail()).startsWith("conversationId ").doesNotContain("messageId");
    }

    private static void assertBadRequest(ApiProblem problem, String parameter) {
        assertThat(problem).isNotNull();
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.title()).isEqualTo("Bad Request");
        assertThat(problem.detail()).contains(parameter);
    }
}
