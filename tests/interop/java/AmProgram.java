// A YARN application whose ApplicationMaster is this program itself, written against Hadoop's own
// client API (YarnClient, AMRMClient) and run by the interop suite against twistd yarnemu.
//
//   java AmProgram client N JAR...   submit the application, wait until it ends, print its report;
//                                    exit 0 when its final status is SUCCEEDED
//   java AmProgram am N              (in the AM container) register, get N containers allocated,
//                                    print them, finish SUCCEEDED
//
// The AM container's CLASSPATH is {{HADOOP_CONF_DIR}} (which names this attempt's scheduler
// address), the JARs and this program's directory; its command uses {{JAVA_HOME}} and <LOG_DIR>.

import java.io.File;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.util.Records;

public final class AmProgram {
    private static final EnumSet<YarnApplicationState> ENDED = EnumSet.of(
            YarnApplicationState.FINISHED, YarnApplicationState.FAILED,
            YarnApplicationState.KILLED);

    private AmProgram() {
    }

    public static void main(String[] args) throws Exception {
        int containers = Integer.parseInt(args[1]);
        if (args[0].equals("client")) {
            List<String> jars = List.of(args).subList(2, args.length);
            System.exit(client(containers, jars) ? 0 : 1);
        }
        applicationMaster(containers);
    }

    private static boolean client(int containers, List<String> jars) throws Exception {
        YarnClient yarn = YarnClient.createYarnClient();
        yarn.init(new YarnConfiguration());
        yarn.start();
        YarnClientApplication application = yarn.createApplication();
        ApplicationSubmissionContext context = application.getApplicationSubmissionContext();
        context.setApplicationName("yarnemu-interop-am");
        context.setResource(Resource.newInstance(256, 1));
        String self = new File(AmProgram.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).getPath();
        String classpath = String.join(ApplicationConstants.CLASS_PATH_SEPARATOR,
                Environment.HADOOP_CONF_DIR.$$(), String.join(
                        ApplicationConstants.CLASS_PATH_SEPARATOR, jars), self);
        ContainerLaunchContext am = Records.newRecord(ContainerLaunchContext.class);
        am.setEnvironment(Map.of(Environment.CLASSPATH.name(), classpath));
        am.setCommands(List.of(Environment.JAVA_HOME.$$() + "/bin/java -Xmx96m AmProgram am "
                + containers + " 1>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stdout 2>"
                + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stderr"));
        context.setAMContainerSpec(am);
        ApplicationId id = yarn.submitApplication(context);
        System.out.println("Submitted application " + id);
        ApplicationReport report = yarn.getApplicationReport(id);
        while (!ENDED.contains(report.getYarnApplicationState())) {
            Thread.sleep(200);
            report = yarn.getApplicationReport(id);
        }
        System.out.println("Application " + id + " " + report.getYarnApplicationState() + " "
                + report.getFinalApplicationStatus() + " on " + report.getHost()
                + " diagnostics: " + report.getDiagnostics());
        yarn.stop();
        return report.getFinalApplicationStatus() == FinalApplicationStatus.SUCCEEDED;
    }

    private static void applicationMaster(int containers) throws Exception {
        AMRMClient<ContainerRequest> scheduler = AMRMClient.createAMRMClient();
        scheduler.init(new YarnConfiguration());
        scheduler.start();
        scheduler.registerApplicationMaster(System.getenv(Environment.NM_HOST.name()), 0, "");
        System.out.println("Registered, attempt of container "
                + System.getenv(Environment.CONTAINER_ID.name()));
        for (int i = 0; i < containers; i++) {
            scheduler.addContainerRequest(new ContainerRequest(
                    Resource.newInstance(128, 1), null, null, Priority.newInstance(1)));
        }
        List<Container> allocated = new ArrayList<>();
        while (allocated.size() < containers) {
            allocated.addAll(scheduler.allocate(0.5f).getAllocatedContainers());
            Thread.sleep(100);
        }
        for (Container container : allocated) {
            System.out.println("Allocated " + container.getId() + " on " + container.getNodeId()
                    + " " + container.getResource());
        }
        scheduler.unregisterApplicationMaster(FinalApplicationStatus.SUCCEEDED,
                "allocated " + allocated.size() + " containers", null);
        scheduler.stop();
    }
}
