/**
 * Test support shared by the experiments module's tests in every package: {@link
 * org.llkd.experiments.testsupport.Fixtures} (where the shipped data and teacher files are, the TINY config on the
 * smallest shipped dataset, CSV helpers for run directories) and {@link org.llkd.experiments.testsupport.ChildJvm}
 * (a main class of the test class path in a child JVM with surefire's environment).
 *
 * <p>Imports main code only ({@code report}, {@code train}, {@code org.llkd.models}), never a test package: any test
 * may import it without tying itself to another test's package.
 */
package org.llkd.experiments.testsupport;
