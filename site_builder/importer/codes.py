"""Documentation of the codes `site-builder import` raises (N403–N407).

Registered with the check stage's rules (as the archive's A6xx are), so that
`site-builder rules N407` explains them in any process, whether or not the
importer (and python-docx) has been loaded.
"""

from ..check.registry import document as _document_code
from ..errors import WARNING

_document_code("N403", "要导入的文件找不到或读不出", explanation="site-builder import 找不到这个文件，或读不出其中的文字。",
               wrong="site-builder import 总结.docx（文件在别的文件夹）", right="site-builder import D:/材料/总结.docx --kind summary --year 2024")
_document_code("N404", "不能导入这种文件", explanation="site-builder import 可以导入 .docx、.txt 和 .md 文件。",
               wrong="site-builder import 总结.doc", right="（用 Word 另存为 .docx 后）site-builder import 总结.docx --kind summary --year 2024")
_document_code("N405", "导入的目标记录已经存在", explanation="site-builder import 不会覆盖已有的记录，除非加上 --force。",
               wrong="site-builder import 总结.docx --kind summary --year 2021（2021/work-summary.md 已有）",
               right="site-builder import 总结.docx --kind summary --year 2021 --force")
_document_code("N406", "导入时没有放进正文的内容", severity=WARNING, explanation="""
Word 文件里的图片、页眉页脚不能导入；文本框、脚注的文字放在了别的位置。导入后请逐条核对。""",
               wrong="（Word 文件第 5 段有图片）", right="（把图片里需要公开的文字录入正文）")
_document_code("N407", "编号接不上", severity=WARNING, explanation="""
原文的编号不连续或换了样式：“（三）”之后是“（4）”，“一、”之后是“三、”，“1.”下面的第一项就是“（3）”。
导入照录原文，不改编号，按编号的样式和数字推断标题层级，请对照原文核对。""",
               wrong="（三）机构设置\n（4）人员编制情况", right="（三）机构设置\n（四）人员编制情况")
