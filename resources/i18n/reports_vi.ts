<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>BarChart</name>
    <message>
        <location filename="../../ui/reports/charts.py" line="80"/>
        <source>No data in this period</source>
        <translation>Không có số liệu trong khoảng thời gian này</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="66"/>
        <source>waiting now</source>
        <translation>đang chờ</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="66"/>
        <source>longest wait</source>
        <translation>chờ lâu nhất</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="67"/>
        <source>average wait today</source>
        <translation>thời gian chờ TB hôm nay</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="67"/>
        <source>served today</source>
        <translation>đã phục vụ hôm nay</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="68"/>
        <source>counters open / paused</source>
        <translation>quầy mở / tạm dừng</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="68"/>
        <source>dossiers due today</source>
        <translation>hồ sơ đến hạn hôm nay</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="73"/>
        <source>Waiting now per service (red: longest wait over 15 minutes)</source>
        <translation>Đang chờ theo lĩnh vực (đỏ: chờ lâu nhất quá 15 phút)</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="77"/>
        <source>Service</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="77"/>
        <source>Waiting</source>
        <translation>Đang chờ</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="77"/>
        <source>Longest wait</source>
        <translation>Chờ lâu nhất</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="78"/>
        <source>Served today</source>
        <translation>Đã phục vụ hôm nay</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="81"/>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="81"/>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="81"/>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="82"/>
        <source>Due at</source>
        <translation>Hẹn trả lúc</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="94"/>
        <source>Dossiers due today, not yet finished</source>
        <translation>Hồ sơ đến hạn hôm nay, chưa giải quyết xong</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="147"/>
        <source>Updated %1</source>
        <translation>Cập nhật lúc %1</translation>
    </message>
    <message>
        <location filename="../../ui/reports/dashboard.py" line="148"/>
        <source>live</source>
        <translation>trực tiếp</translation>
    </message>
</context>
<context>
    <name>DrillDialog</name>
    <message>
        <location filename="../../ui/reports/drill.py" line="34"/>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <location filename="../../ui/reports/drill.py" line="45"/>
        <source>Nothing behind this figure.</source>
        <translation>Không có số liệu nào sau chỉ số này.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/reports/drill.py" line="54"/>
        <source>%n row(s).</source>
        <translation>
            <numerusform>%n dòng.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HeatMap</name>
    <message>
        <location filename="../../ui/reports/charts.py" line="130"/>
        <source>Mon</source>
        <translation>T2</translation>
    </message>
    <message>
        <location filename="../../ui/reports/charts.py" line="130"/>
        <source>Tue</source>
        <translation>T3</translation>
    </message>
    <message>
        <location filename="../../ui/reports/charts.py" line="130"/>
        <source>Wed</source>
        <translation>T4</translation>
    </message>
    <message>
        <location filename="../../ui/reports/charts.py" line="130"/>
        <source>Thu</source>
        <translation>T5</translation>
    </message>
    <message>
        <location filename="../../ui/reports/charts.py" line="130"/>
        <source>Fri</source>
        <translation>T6</translation>
    </message>
    <message>
        <location filename="../../ui/reports/charts.py" line="130"/>
        <source>Sat</source>
        <translation>T7</translation>
    </message>
    <message>
        <location filename="../../ui/reports/charts.py" line="131"/>
        <source>Sun</source>
        <translation>CN</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../ui/navigation.py" line="110"/>
        <source>Counter</source>
        <translation>Quầy – gọi số</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="112"/>
        <source>Reception</source>
        <translation>Tiếp nhận hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="114"/>
        <source>Dossiers</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="116"/>
        <source>Scanning</source>
        <translation>Số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="117"/>
        <source>Signing</source>
        <translation>Ký số</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="119"/>
        <source>Queue</source>
        <translation>Hàng đợi</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="120"/>
        <source>Dashboard</source>
        <translation>Bảng điều hành</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="122"/>
        <source>Outbox</source>
        <translation>Gửi hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="123"/>
        <source>Reports</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="124"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
</context>
<context>
    <name>RatingPanel</name>
    <message>
        <location filename="../../ui/reports/rating.py" line="32"/>
        <source>How was our service?</source>
        <translation>Ông/bà đánh giá thế nào về sự phục vụ?</translation>
    </message>
    <message>
        <location filename="../../ui/reports/rating.py" line="40"/>
        <source>Reason (optional)</source>
        <translation>Lý do (không bắt buộc)</translation>
    </message>
    <message>
        <location filename="../../ui/reports/rating.py" line="43"/>
        <source>Not satisfied</source>
        <translation>Không hài lòng</translation>
    </message>
    <message>
        <location filename="../../ui/reports/rating.py" line="44"/>
        <source>Satisfied</source>
        <translation>Hài lòng</translation>
    </message>
    <message>
        <location filename="../../ui/reports/rating.py" line="45"/>
        <source>Very satisfied</source>
        <translation>Rất hài lòng</translation>
    </message>
    <message>
        <location filename="../../ui/reports/rating.py" line="77"/>
        <source>Thank you for visiting the one-stop centre.</source>
        <translation>Cảm ơn ông/bà đã đến Bộ phận Một cửa.</translation>
    </message>
    <message>
        <location filename="../../ui/reports/rating.py" line="79"/>
        <source>Ticket %1: how satisfied are you with the service?</source>
        <translation>Số %1: ông/bà có hài lòng với sự phục vụ không?</translation>
    </message>
    <message>
        <location filename="../../ui/reports/rating.py" line="92"/>
        <source>Thank you! Your rating has been recorded.</source>
        <translation>Xin cảm ơn! Đánh giá của ông/bà đã được ghi nhận.</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <location filename="../../ui/reports_view.py" line="115"/>
        <source>Today</source>
        <extracomment>the audit chain head the figures were read at: the export carries it</extracomment>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="115"/>
        <source>This week</source>
        <translation>Tuần này</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="116"/>
        <source>This month</source>
        <translation>Tháng này</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="116"/>
        <source>Last month</source>
        <translation>Tháng trước</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="117"/>
        <source>This year</source>
        <translation>Năm nay</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="117"/>
        <source>Custom</source>
        <translation>Tùy chọn</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="129"/>
        <source>by service</source>
        <translation>theo lĩnh vực</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="129"/>
        <source>by counter</source>
        <translation>theo quầy</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="130"/>
        <location filename="../../ui/reports_view.py" line="134"/>
        <source>by officer</source>
        <translation>theo cán bộ</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="130"/>
        <source>by hour of day</source>
        <translation>theo giờ trong ngày</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="131"/>
        <source>by day</source>
        <translation>theo ngày</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="131"/>
        <source>by week</source>
        <translation>theo tuần</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="131"/>
        <source>by month</source>
        <translation>theo tháng</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="135"/>
        <source>by unit</source>
        <translation>theo đơn vị</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="138"/>
        <source>Compute</source>
        <translation>Tính</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="140"/>
        <source>Export XLSX…</source>
        <translation>Xuất XLSX…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="142"/>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="144"/>
        <source>Monthly report PDF…</source>
        <translation>Báo cáo tháng (PDF)…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="151"/>
        <source>Period</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="151"/>
        <source>from</source>
        <translation>từ</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="151"/>
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="161"/>
        <source>Waits in 3-minute buckets (click a bar for the tickets)</source>
        <translation>Thời gian chờ theo khoảng 3 phút (bấm cột để xem các số)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="164"/>
        <source>Average wait per group (minutes; red: 15-minute target)</source>
        <translation>Thời gian chờ TB theo nhóm (phút; đỏ: chỉ tiêu 15 phút)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="175"/>
        <source>Queue</source>
        <translation>Hàng đợi</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="187"/>
        <source>Late dossiers (as the province publishes them)</source>
        <translation>Hồ sơ trễ hạn (như tỉnh công bố)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="190"/>
        <source>Dossiers</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="193"/>
        <source>Satisfied or very satisfied, per officer (%)</source>
        <translation>Hài lòng và rất hài lòng theo cán bộ (%)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="199"/>
        <source>Satisfaction</source>
        <translation>Mức độ hài lòng</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="204"/>
        <source>Arrivals per weekday and hour (darker: more); average wait in minutes, red above 15</source>
        <translation>Lượt đến theo thứ và giờ (đậm: nhiều hơn); thời gian chờ TB (phút), đỏ khi quá 15</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="207"/>
        <source>Heat map</source>
        <translation>Bản đồ nhiệt</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="210"/>
        <source>Counter sessions</source>
        <translation>Phiên làm việc tại quầy</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="307"/>
        <source>Late dossiers (as the province publishes them): %1</source>
        <translation>Hồ sơ trễ hạn (như tỉnh công bố): %1</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="315"/>
        <source>Received %1 · late %2 (%3) · components digitized %4 · results digitized %5 · signed results %6 · reuse %7 · online %8</source>
        <translation>Tiếp nhận %1 · trễ hạn %2 (%3) · số hóa thành phần %4 · số hóa kết quả %5 · kết quả ký số %6 · tái sử dụng %7 · trực tuyến %8</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="326"/>
        <source>%1: %2 arrived, %3 served, %4 no-shows; average wait %5; %6 dossiers received.</source>
        <translation>%1: %2 lượt đến, %3 đã phục vụ, %4 vắng mặt; chờ trung bình %5; %6 hồ sơ tiếp nhận.</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="353"/>
        <source>Tickets behind “%1” for %2</source>
        <translation>Các số thứ tự của “%1” – %2</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="367"/>
        <source>Dossiers behind “%1” for %2</source>
        <translation>Các hồ sơ của “%1” – %2</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="382"/>
        <source>Export XLSX</source>
        <translation>Xuất XLSX</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="386"/>
        <location filename="../../ui/reports_view.py" line="397"/>
        <location filename="../../ui/reports_view.py" line="413"/>
        <source>Written: %1</source>
        <translation>Đã ghi: %1</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="392"/>
        <source>Export CSV into a folder</source>
        <translation>Xuất CSV vào thư mục</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="406"/>
        <source>Monthly report PDF</source>
        <translation>Báo cáo tháng (PDF)</translation>
    </message>
</context>
</TS>
