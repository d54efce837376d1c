"""Documentation of the codes `site-builder import` raises (N403–N407; N430–N437 for forms).

Registered with the check stage's rules (as the archive's A6xx are), so that
`site-builder rules N407` explains them in any process, whether or not the
importer (and python-docx) has been loaded.
"""

from ..check.registry import document as _document_code
from ..errors import WARNING

_document_code("N403", "要导入的文件找不到或读不出", explanation="site-builder import 找不到这个文件，或读不出其中的文字"
               "（文件已经损坏，或设了打开密码）。",
               wrong="site-builder import 总结.docx（文件在别的文件夹）", right="site-builder import D:/材料/总结.docx --kind summary --year 2024")
_document_code("N404", "不能导入这种文件", explanation="site-builder import 加 --kind 时导入 .docx、.txt 和 .md 文件；"
               "不加 --kind 时导入绩效自评表：Word（.docx）和 Excel（.xlsx、.xls）文件，含启用宏的 .docm、.xlsm 和模板 .dotx、.xltx"
               "（其中的宏不运行）。CSV 文件、图片等其他文件请用 Excel 或 WPS 打开原表另存为 .xlsx 再导入。",
               wrong="site-builder import 总结.doc", right="（用 Word 另存为 .docx 后）site-builder import 总结.docx --kind summary --year 2024")
_document_code("N405", "导入的目标记录已经存在", explanation="site-builder import 不会覆盖已有的记录，除非加上 --force。",
               wrong="site-builder import 总结.docx --kind summary --year 2021（2021/work-summary.md 已有）",
               right="site-builder import 总结.docx --kind summary --year 2021 --force")
_document_code("N406", "导入时没有放进正文的内容", severity=WARNING, explanation="""
Word 文件里的图片、页眉页脚不能导入；文本框、脚注的文字放在了别的位置；设成隐藏的文字（打开和打印时都看不到）
不导入。导入后请逐条核对。""",
               wrong="（Word 文件第 5 段有图片）", right="（把图片里需要公开的文字录入正文）")
_document_code("N407", "编号接不上", severity=WARNING, explanation="""
原文的编号不连续或换了样式：“（三）”之后是“（4）”，“一、”之后是“三、”，“1.”下面的第一项就是“（3）”。
导入照录原文，不改编号，按编号的样式和数字推断标题层级，请对照原文核对。""",
               wrong="（三）机构设置\n（4）人员编制情况", right="（三）机构设置\n（四）人员编制情况")

# Importing the finance bureau's .docx/.xlsx/.xls forms (importer.forms).
_document_code("N430", "旧格式的 Word 或 WPS 文件", explanation="""
site-builder import 读取 .docx（Word 2007 起的格式）、.xlsx（Excel 2007 起的格式）和 .xls（Excel 97–2003 的格式；
WPS 表格通常把 .et 文件存成这种格式，也照常读取）。旧的 Word .doc 和 WPS 文字的 .wps 文件，以及 WPS 表格
自己格式的 .et 文件是另一种格式，请先另存为 .docx 或 .xlsx。""",
               wrong="site-builder import 2023年度绩效自评表.doc --year 2023",
               right="（在 Word 或 WPS 中“另存为”.docx 后）site-builder import 2023年度绩效自评表.docx --year 2023")
_document_code("N431", "导入时没有放进记录的单元格", severity=WARNING, explanation="""
原表中的这一格有文字，但不在版式声明的任何位置上（例如多出的一行、写在表外的说明）。导入时逐条列出，
并写在生成记录的末尾注释里，请对照原表核对。Excel 隐藏的工作表、行和列，以及 Word 设成隐藏的文字
（打开和打印时都看不到）不导入，有文字的也逐条列出。""",
               wrong="（原表在合计行下多印了一行“审核人：张三”）", right="（核对后把需要公开的内容补进记录，或在版式文件中声明这一格）")
_document_code("N432", "版式未声明的表格按原表逐格照录", severity=WARNING, explanation="""
这张表的表头与已有的版式都对不上。它仍然按原表逐格（含合并的格子）导入并公开，记录写 layout: grid，
但其中的算术不核对。为它写一个版式文件（docs/content-model.md 有例子），把 layout 改为版式的 id 后，检查程序才会核对。""",
               wrong="layout: grid", right="layout: my-county-project-2024")
_document_code("N433", "要导入的文件里没有表格", explanation="""
不加 --kind 时，site-builder import 导入文件里的绩效自评表。这个文件里没有表格；
工作总结、工作计划和自评报告请加 --kind 导入。""",
               wrong="site-builder import 2024年工作总结.docx --year 2024",
               right="site-builder import 2024年工作总结.docx --kind summary --year 2024")
_document_code("N434", "原表中没有找到版式应有的一项", severity=WARNING, explanation="""
表格按版式读入，但版式声明的某一格（如“评价等级”、某个签字人）在这张表里没有印。记录中这一项不写；
请对照原表核对是表格本来就没有，还是印法与版式不同。""",
               wrong="（版式有“单位负责人签字”，原表没有这一格）", right="（核对原表：确实没有，则不必处理）")
_document_code("N437", "表题印的年度与导入的年度不同", severity=WARNING, explanation="""
表题（或表题下面的一行）印着年度，如“2022年度项目支出绩效自评表”“（2022年度）”，与 --year 写的年度不同。
记录照 --year 写进那一年的文件夹；多半是 --year 写错了，或拿错了文件。""",
               wrong="site-builder import 2022年度项目自评表.xlsx --year 2023",
               right="site-builder import 2022年度项目自评表.xlsx --year 2022")
_document_code("N438", "要写回的已有记录读不出", explanation="""
不加 --kind 导入绩效自评表时，同一张表（同类、同版式、同名称）写回该年度原来的记录，保留手工加的 slug、date、
acknowledgements 等。该年度 content/年度/ 或 projects/ 里有一份记录读不出（不是 UTF-8 编码，或有 YAML 格式错误），
就无法判断它是不是要导入的表：照常导入可能另写一份重复的记录，或覆盖它（连同手工加的内容），所以不导入。""",
               wrong="（content/2023/department-evaluation.yaml 用记事本另存为 ANSI 编码后）site-builder import 自评表.xlsx --year 2023",
               right="（把它另存为 UTF-8，或用 site-builder check 改正格式错误后）site-builder import 自评表.xlsx --year 2023")
_document_code("N439", "同一文件里有名称相同的几张表", severity=WARNING, explanation="""
要导入的文件里有两张或几张同一版式、名称（项目名称或部门名称）相同的表，每张都导入成了一份记录。常见的原因是
复制了工作表来改数字（“项目表 (2)”），改之前的旧表还留在文件里：两份记录都会公开，数字不同。""",
               wrong="（工作表“项目表”和“项目表 (2)”都是“高三复习迎考”）",
               right="（删除旧表生成的记录，或从文件中删去旧表后重新导入）")
_document_code("N435", "文件的内容与扩展名不符", explanation="""
文件名是 .docx、.xlsx、.xls 或 .et，内容却是别的格式：改了扩展名的旧 .doc 文件、网上系统导出的网页（HTML）
或 Excel 2003 XML 表格、RTF、PDF、OFD 版式文件、压缩包，或扩展名写反的 Word/Excel 文件。
site-builder import 按文件开头的内容认出格式，说明怎样得到可以导入的文件。Excel 表格按它实际的格式读取：
改成了 .xlsx 的 .xls、改成了 .xls 的 .xlsx 都照常导入，不必改名。""",
               wrong="site-builder import 自评表.xls --year 2023（其实是系统导出的网页）",
               right="（在 Excel 或 WPS 中打开，另存为 .xlsx 后）site-builder import 自评表.xlsx --year 2023")
_document_code("N436", "文件大得不像一张表或一份总结", explanation="""
.docx 或 .xlsx 文件其实是一个压缩包。导入前先数一数它解压后有多大：其中一个 XML 部分超过 32 MB，
或全部内容超过 512 MB，或 Excel 工作表中的合并单元格一共覆盖超过 1,000,000 个格子（如合并了整张工作表），
就不导入。工作表中有内容、有边框的格子一共超过 200,000 个，或全部工作表（包括隐藏的）一共写了超过 600,000 个格子、600,000 段文字，也不导入。.xls 文件要整个读进内存：超过 16 MB，
或声明的单元格格式超过 65,536 种，也不导入。正常的绩效自评表、工作总结远小于这些限度；这样的文件多半已经损坏，或不是原件，
照常读入会占满电脑的内存或一直读不完。""",
               wrong="site-builder import 自评表.xlsx --year 2023（工作表中合并了 A1:XFD1048576）",
               right="（在 Excel 或 WPS 中取消多余的合并、另存为新的 .xlsx 后）site-builder import 自评表.xlsx --year 2023")
