#pragma once
// Runs one of our programs as a child process for end-to-end tests: real binaries, real ports.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace scholarsearch::testing {

/// In a freshly forked child: die with the test process, so a test that crashes before its
/// destructors run cannot leave a server holding ctest's output pipe open until the timeout.
inline void die_with_parent() { prctl(PR_SET_PDEATHSIG, SIGKILL); }

/// Runs a program to completion; returns its exit status (stdout/stderr go to ours).
inline int run_program(const std::vector<std::string>& argv) {
    const pid_t pid = fork();
    if (pid == 0) {
        die_with_parent();
        std::vector<char*> args;
        for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// A child process whose stdout we read line by line.
class ChildProcess {
public:
    explicit ChildProcess(const std::vector<std::string>& argv) {
        int pipe_fds[2];
        if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
        pid_ = fork();
        if (pid_ == 0) {
            die_with_parent();
            dup2(pipe_fds[1], STDOUT_FILENO);
            close(pipe_fds[0]);
            close(pipe_fds[1]);
            std::vector<char*> args;
            for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
            args.push_back(nullptr);
            execv(args[0], args.data());
            _exit(127);
        }
        close(pipe_fds[1]);
        out_fd_ = pipe_fds[0];
    }
    ~ChildProcess() {
        if (pid_ > 0 && !exited_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        if (out_fd_ >= 0) close(out_fd_);
    }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }

    /// The next line of stdout, or nullopt after `timeout` or at end of output.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (auto newline = pending_.find('\n'); newline != std::string::npos) {
                std::string line = pending_.substr(0, newline);
                pending_.erase(0, newline + 1);
                return line;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            pollfd descriptor{out_fd_, POLLIN, 0};
            if (poll(&descriptor, 1, static_cast<int>(left.count())) <= 0) continue;
            char buffer[4096];
            const ssize_t got = read(out_fd_, buffer, sizeof buffer);
            if (got <= 0) return std::nullopt;
            pending_.append(buffer, static_cast<std::size_t>(got));
        }
    }

    /// Sends `signal` and waits up to `timeout` for the exit status (nullopt: still running).
    std::optional<int> stop(int signal, std::chrono::milliseconds timeout) {
        send_signal(signal);
        return wait(timeout);
    }

    void send_signal(int signal) { kill(pid_, signal); }

    std::optional<int> wait(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return std::nullopt;
    }

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    bool exited_ = false;
    std::string pending_;
};

}  // namespace scholarsearch::testing
