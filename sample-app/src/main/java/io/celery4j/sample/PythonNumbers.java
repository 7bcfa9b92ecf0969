package io.celery4j.sample;

import java.math.BigInteger;
import java.util.List;

/**
 * Arithmetic on JSON numbers as Python does it, so that a Python caller gets the result
 * its own worker would give: integers are exact and unbounded, anything with a float is a
 * float computed left to right.
 */
final class PythonNumbers {

	private PythonNumbers() {
	}

	static Number add(Number x, Number y) {
		if (isInteger(x) && isInteger(y)) {
			return narrow(toBigInteger(x).add(toBigInteger(y)));
		}
		return x.doubleValue() + y.doubleValue();
	}

	static Number multiply(Number x, Number y) {
		if (isInteger(x) && isInteger(y)) {
			return narrow(toBigInteger(x).multiply(toBigInteger(y)));
		}
		return x.doubleValue() * y.doubleValue();
	}

	/**
	 * Sum like Python's {@code sum()} before 3.12: exact while every number is an
	 * integer, then plain float additions from left to right (no compensated summation,
	 * unlike {@code DoubleStream.sum()}).
	 * @param numbers the numbers
	 * @return the sum, an integer when every number is one
	 */
	static Number sum(List<? extends Number> numbers) {
		BigInteger exact = BigInteger.ZERO;
		int i = 0;
		for (; i < numbers.size() && isInteger(numbers.get(i)); i++) {
			exact = exact.add(toBigInteger(numbers.get(i)));
		}
		if (i == numbers.size()) {
			return narrow(exact);
		}
		double sum = exact.doubleValue();
		for (; i < numbers.size(); i++) {
			sum += numbers.get(i).doubleValue();
		}
		return sum;
	}

	private static boolean isInteger(Number number) {
		return number instanceof Integer || number instanceof Long || number instanceof BigInteger
				|| number instanceof Short || number instanceof Byte;
	}

	private static Number narrow(BigInteger value) {
		return (value.bitLength() < Long.SIZE) ? (Number) value.longValue() : value;
	}

	private static BigInteger toBigInteger(Number number) {
		return (number instanceof BigInteger big) ? big : BigInteger.valueOf(number.longValue());
	}

}
