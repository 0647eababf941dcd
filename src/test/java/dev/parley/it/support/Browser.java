package dev.parley.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium with a fake camera and microphone, driven through Parley's own page as a
 * person would use it. Never downloads a browser or a driver.
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = System.getProperty("parley.chromium", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getProperty("parley.chromedriver", "/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;

    public Browser() throws IOException {
        this(true);
    }

    /**
     * {@code withDevices} false: no fake camera or microphone, and every permission prompt is refused, as for
     * someone who blocked the camera and microphone.
     */
    public Browser(boolean withDevices) throws IOException {
        profile = Files.createTempDirectory("parley-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(withDevices
                ? List.of("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream")
                : List.of("--deny-permission-prompts"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--allow-loopback-in-peer-connection", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required",
                "--window-size=1280,800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    public static boolean available() {
        return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /**
     * Clicks once the element shows and is enabled, as a person would, waiting out anything covering it for a moment
     * while the layout settles (once, in a three-page call, the page's title covered Accept as videos arrived):
     * ChromeDriver then refuses the click, and it is tried again with the element scrolled to the middle.
     */
    public void click(String css) {
        await(d -> {
            WebElement element = find(css);
            if (!element.isDisplayed() || !element.isEnabled()) {
                return false;
            }
            script("arguments[0].scrollIntoView({block: 'center'})", element);
            element.click();
            return true;
        });
    }

    public String text(String css) {
        return find(css).getText();
    }

    /** Waits up to 20 s; a timeout says what the page was showing then, so a failure in CI can be read afterwards. */
    public <T> T await(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(RuntimeException.class).until(condition);
        } catch (TimeoutException e) {
            throw new TimeoutException(e.getMessage() + "\nThe page then: " + describe(), e);
        }
    }

    /** The page's status line and call states, or why they could not be read. */
    private String describe() {
        try {
            return String.valueOf(script("const s = window.parley.state(); return JSON.stringify({view: s.view, "
                    + "link: s.link, status: s.status, ringing: s.ringing, peers: s.peers.length, calls: s.calls})"));
        } catch (RuntimeException e) {
            return "(unreadable: " + e.getMessage().lines().findFirst().orElse("") + ")";
        }
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Runs an async script: the last argument is the callback; the promise's value is returned. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asyncScript(String promiseBody) {
        return (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "(async () => {" + promiseBody + "})().then(done, e => done({error: String(e)}));");
    }

    /** Fills in the lobby of the page already open and joins {@code room} as {@code name}; returns once in the room. */
    public void joinRoom(String name, String room) {
        type("#name", name);
        type("#room", room);
        click("#join");
        await(d -> room.equals(text("#room-name")));
    }

    /** Waits until the first peer connection is connected and has decoded video frames; returns what it reported. */
    public Map<String, Object> awaitMediaFlowing() {
        return await(d -> {
            Map<String, Object> media = media();
            return "connected".equals(media.get("state")) && ((Number) media.get("frames")).longValue() > 0 ? media : null;
        });
    }

    /** What the first peer connection reports: its state and the video frames decoded so far. */
    public Map<String, Object> media() {
        return asyncScript("const pcs = window.parley && window.parley.peers();"
                + "const pc = pcs && [...pcs.values()][0];"
                + "if (!pc) return {state: 'none', frames: 0};"
                + "const stats = await pc.getStats(); let frames = 0;"
                + "stats.forEach(r => { if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0; });"
                + "return {state: pc.connectionState, frames};");
    }

    /**
     * The {@code a=ice-ufrag} of the first peer connection's {@code localDescription} or {@code remoteDescription}
     * ({@code which}); it changes with every ICE restart.
     */
    public String iceUfrag(String which) {
        return (String) script("const pc = [...window.parley.peers().values()][0];"
                + "const d = pc && pc[arguments[0]]; const m = d && d.sdp.match(/a=ice-ufrag:(\\S+)/);"
                + "return m ? m[1] : null", which);
    }

    /** Video frames decoded so far on the first peer connection. */
    public long framesDecoded() {
        return ((Number) media().get("frames")).longValue();
    }

    /** {@code window.parley.state()}: the client's own view of the room, its calls and its media. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> state() {
        return (Map<String, Object>) script("return window.parley.state()");
    }

    /** How many of this page's peer connections are connected and have decoded video frames. */
    public long connectedWithVideo() {
        Object n = asyncScript("let n = 0; for (const pc of window.parley.peers().values()) {"
                + "if (pc.connectionState !== 'connected') continue; let frames = 0;"
                + "(await pc.getStats()).forEach(r => { if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0; });"
                + "if (frames > 0) n++; } return {n};").get("n");
        return ((Number) n).longValue();
    }

    /** Sum of totalAudioEnergy over every inbound audio stream: grows while the far side sends sound. */
    public double inboundAudioEnergy() {
        Object e = asyncScript("let e = 0; for (const pc of window.parley.peers().values()) {"
                + "(await pc.getStats()).forEach(r => { if (r.type === 'inbound-rtp' && r.kind === 'audio') e += r.totalAudioEnergy || 0; }); }"
                + "return {e};").get("e");
        return ((Number) e).doubleValue();
    }

    /** Frames decoded so far for the video shown in the element {@code css} (-1 if it shows nothing). */
    public long framesShownIn(String css) {
        Object n = asyncScript("const v = document.querySelector('" + css + "');"
                + "const track = v && v.srcObject && v.srcObject.getVideoTracks()[0]; if (!track) return {n: -1};"
                + "let n = -1; for (const pc of window.parley.peers().values()) {"
                + "(await pc.getStats()).forEach(r => { if (r.type === 'inbound-rtp' && r.trackIdentifier === track.id) n = r.framesDecoded || 0; }); }"
                + "return {n};").get("n");
        return ((Number) n).longValue();
    }

    /** Whether the element {@code css} is on the page and displayed. */
    public boolean shows(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty() && find(css).isDisplayed();
    }

    /** Makes the page's clock read in {@code zone} (e.g. {@code Asia/Tokyo}), as a browser elsewhere would. */
    public void timeZone(String zone) {
        driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", zone));
    }

    /** Resizes the window, e.g. to a phone's 390 x 844 CSS pixels. */
    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    public void screenshot(String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // A missing screenshot must not fail a test about calls.
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
