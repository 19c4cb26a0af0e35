using Factory.Executor.Engine;

namespace Factory.UnitTests;

/// <summary>Cache hits and misses per Dockerfile step, from BuildKit's plain progress output.</summary>
public sealed class BuildKitCacheStepsTests
{
    private const string Log = """
        #1 [internal] load build definition from Dockerfile
        #1 transferring dockerfile: 312B done
        #1 DONE 0.0s

        #2 [internal] load .dockerignore
        #2 DONE 0.0s

        #3 importing cache manifest from 127.0.0.1:5000/factory-cache/llm:linux-amd64
        #3 DONE 0.1s

        #4 [1/4] FROM 127.0.0.1:5000/base/debian@sha256:abc
        #4 resolve 127.0.0.1:5000/base/debian@sha256:abc done
        #4 CACHED

        #5 [2/4] RUN apt-get install -y python3
        #5 CACHED

        #6 [3/4] COPY numerics/ /opt/numerics/
        #6 DONE 0.2s

        #7 [4/4] RUN python3 -c 'import numpy'
        #7 0.512 ok
        #7 DONE 1.3s

        #8 exporting to image
        #8 DONE 0.4s
        """;

    [Fact]
    public void Steps_with_a_CACHED_line_are_hits_steps_that_ran_are_misses_and_FROM_and_internal_vertices_are_not_steps() =>
        Assert.Equal((1, 2), BuildKitCacheSteps.Count(Log));

    [Fact]
    public void Steps_of_a_named_stage_count_and_a_failed_step_is_a_miss() =>
        Assert.Equal((1, 1), BuildKitCacheSteps.Count("""
            #4 [build 2/3] RUN make
            #4 CACHED
            #5 [build 3/3] RUN make test
            #5 ERROR: process "/bin/sh -c make test" did not complete successfully: exit code: 2
            """));

    [Fact]
    public void Steps_whose_index_BuildKit_pads_to_the_width_of_the_total_count() =>
        Assert.Equal((1, 1), BuildKitCacheSteps.Count("""
            #4 [ 1/11] FROM 127.0.0.1:5000/base/busybox:1.35
            #4 CACHED
            #5 [ 2/11] RUN echo one
            #5 CACHED
            #14 [11/11] RUN echo ten
            #14 DONE 0.3s
            """));

    [Fact]
    public void The_tally_counts_every_step_a_cancelled_one_too_and_the_hits_and_misses_among_them() =>
        Assert.Equal((3, 1, 1), BuildKitCacheSteps.Tally("""
            #4 [linux/arm64 1/4] FROM 127.0.0.1:5000/base/busybox:1.35-arm64
            #4 CACHED
            #5 [linux/arm64 2/4] RUN make
            #5 CACHED
            #6 [linux/arm64 3/4] RUN make test
            #6 ERROR: process "/bin/sh -c make test" did not complete successfully: exit code: 2
            #7 [linux/arm64 4/4] RUN make docs
            #7 CANCELED
            """));

    [Fact]
    public void A_log_without_steps_counts_nothing() => Assert.Equal((0, 0), BuildKitCacheSteps.Count("error: no such file\n"));
}
