import Foundation

/// OpenBLAS 0.3.21 picks its Haswell (AVX2) kernels on this machine's
/// AVX-512 CPUs; its SkylakeX kernels are twice as fast for sgemm
/// (REFERENCE-NOTES section 8). The choice is made when the library loads,
/// before main, so a process that wants them re-executes itself once with
/// OPENBLAS_CORETYPE set. A value already in the environment is left alone
/// (this workplace's machines set OPENBLAS_CORETYPE=Haswell; export
/// SkylakeX to get the faster kernels there).
public enum OpenBLASCoreType {
    public static func preferSkylakeX() {
        let env = ProcessInfo.processInfo.environment
        // /proc files report size 0, so read them as a stream, not by size.
        guard env["OPENBLAS_CORETYPE"] == nil, env["IRG_NO_BLAS_REEXEC"] == nil,
              let data = FileHandle(forReadingAtPath: "/proc/cpuinfo")?.readDataToEndOfFile(),
              case let cpu = String(decoding: data, as: UTF8.self), cpu.contains(" avx512f"), cpu.contains(" avx512bw")
        else { return }
        setenv("OPENBLAS_CORETYPE", "SkylakeX", 1)
        setenv("IRG_NO_BLAS_REEXEC", "1", 1)  // never loop, even if exec'ing changes nothing
        var argv = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &argv)
        // exec failed: carry on with the default kernels.
    }
}
